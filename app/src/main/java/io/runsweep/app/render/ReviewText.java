package io.runsweep.app.render;

import io.runsweep.jobs.review.Finding;
import io.runsweep.jobs.review.ReviewReport;
import java.util.Locale;

/** {@code runsweep check} as a person reads it: findings grouped by what they are about, fixes beneath. */
public final class ReviewText {
    private static final String FIX_INDENT = " ".repeat(11);

    private ReviewText() {}

    public static String render(ReviewReport report) {
        StringBuilder out =
                new StringBuilder("runsweep check: ").append(report.database()).append('\n');
        String topic = null;
        for (Finding finding : report.findings()) {
            if (!finding.topic().equals(topic)) {
                topic = finding.topic();
                out.append('\n').append(topic).append('\n');
            }
            out.append(String.format(Locale.ROOT, "  %-8s %s%n", label(finding.severity()), finding.message()));
            finding.fix()
                    .ifPresent(fix -> out.append(FIX_INDENT)
                            .append("fix: ")
                            .append(fix.replace("\n", "\n" + FIX_INDENT + "     "))
                            .append('\n'));
        }
        out.append(String.format(
                Locale.ROOT,
                "%n%d %s, %d %s, %d %s%n",
                report.count(Finding.Severity.ERROR),
                plural(report.count(Finding.Severity.ERROR), "error"),
                report.count(Finding.Severity.WARNING),
                plural(report.count(Finding.Severity.WARNING), "warning"),
                report.count(Finding.Severity.NOTE),
                plural(report.count(Finding.Severity.NOTE), "note")));
        return out.toString();
    }

    private static String label(Finding.Severity severity) {
        return switch (severity) {
            case OK -> "ok";
            case NOTE -> "note";
            case WARNING -> "WARNING";
            case ERROR -> "ERROR";
        };
    }

    private static String plural(long n, String word) {
        return n == 1 ? word : word + "s";
    }
}
