package io.runsweep.jobs.purge;

import io.runsweep.jobs.common.Formats;
import java.util.stream.Collectors;

/** The wording shared by log lines and CLI output, so both say the same thing the same way. */
public final class Summaries {
    private Summaries() {}

    /** {@code deleted 15,000 rows from "flow_run", 120,000 from "log" in 12 batches}; {@code ... in 1 batch}. */
    public static String deleted(PolicyReport report) {
        return "deleted " + rows(report) + " in " + Formats.count(report.batches(), "batch", "batches");
    }

    /** {@code 15,000 rows from "flow_run", 120,000 from "log"}; {@code 1 row from "log"}. */
    public static String rows(PolicyReport report) {
        if (report.tables().isEmpty()) {
            return "no rows";
        }
        String first = Formats.count(report.tables().get(0).rows(), "row") + " from \""
                + report.tables().get(0).table() + "\"";
        String rest = report.tables().stream()
                .skip(1)
                .map(t -> Formats.count(t.rows()) + " from \"" + t.table() + "\""
                        + (t.how() == PolicyReport.Reach.CASCADE ? " (cascade)" : ""))
                .collect(Collectors.joining(", "));
        return rest.isEmpty() ? first : first + ", " + rest;
    }

    /** {@code ; stopped at max-rows 10000, about 52,000 rows remain}, or nothing for a run that finished. */
    public static String stop(PolicyReport report) {
        return report.stop()
                .map(s -> "; stopped at " + s.reason()
                        + (s.remaining() < 0
                                ? ""
                                : ", about " + Formats.count(s.remaining()) + " matching rows remain for the next run"))
                .orElse("");
    }

    /** {@code ; throttled 35.20 s}, or nothing for a run that never waited. */
    public static String throttled(PolicyReport report) {
        return report.throttled().isZero() ? "" : "; throttled " + Formats.seconds(report.throttled());
    }

    /** {@code ; archived 15,120 rows to schema runsweep_archive, directory /var/...}, or nothing. */
    public static String archived(PolicyReport report) {
        return report.archive()
                .map(a -> "; " + (report.outcome() == PolicyReport.Outcome.PREVIEWED ? "would archive " : "archived ")
                        + Formats.count(a.totalRows()) + " rows to " + String.join(", ", a.destinations()))
                .orElse("");
    }

    /** {@code ; note: 1 batch was retried after a passing failure}, one for each of the run's notes, or nothing. */
    public static String notes(PolicyReport report) {
        return report.runNotes().stream().map(n -> "; note: " + n).collect(Collectors.joining());
    }
}
