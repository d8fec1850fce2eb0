package io.runsweep.app.render;

import io.runsweep.jobs.common.JsonWriter;
import io.runsweep.jobs.review.Finding;
import io.runsweep.jobs.review.ReviewReport;
import java.util.Locale;

/** {@code runsweep check} as one JSON document, for scripts. */
public final class ReviewJson {
    private ReviewJson() {}

    public static String render(ReviewReport report) {
        JsonWriter json = new JsonWriter()
                .beginObject()
                .field("database", report.database())
                .field("errors", report.count(Finding.Severity.ERROR))
                .field("warnings", report.count(Finding.Severity.WARNING))
                .field("notes", report.count(Finding.Severity.NOTE))
                .name("findings")
                .beginArray();
        for (Finding finding : report.findings()) {
            json.beginObject()
                    .field("severity", finding.severity().name().toLowerCase(Locale.ROOT))
                    .field("topic", finding.topic())
                    .field("message", finding.message())
                    .field("fix", finding.fix().orElse(null))
                    .endObject();
        }
        return json.endArray().endObject() + "\n";
    }
}
