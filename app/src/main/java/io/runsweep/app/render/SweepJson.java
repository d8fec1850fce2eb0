package io.runsweep.app.render;

import io.runsweep.jobs.common.JsonWriter;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PolicyReport.TableRows;
import io.runsweep.jobs.sweep.SweepReport;
import java.util.Locale;

/** A sweep as one JSON document, for scripts: the same facts as the text report. */
public final class SweepJson {
    private SweepJson() {}

    public static String render(SweepReport report) {
        JsonWriter json = new JsonWriter();
        json.beginObject()
                .field("dry_run", report.dryRun())
                .field("started_at", report.startedAt().toString())
                .field("duration_seconds", seconds(report))
                .field("failed", report.anyFailed())
                .name("policies")
                .beginArray();
        for (PolicyReport policy : report.policies()) {
            policy(json, policy);
        }
        json.endArray().name("not_run").beginArray();
        report.notRun().forEach(json::value);
        json.endArray().field("stopped_by", report.stoppedBy().orElse(null));
        json.name("maintenance").beginArray();
        report.maintenance().forEach(m -> MaintenanceJson.write(json, m));
        return json.endArray().endObject().toString() + "\n";
    }

    private static void policy(JsonWriter json, PolicyReport policy) {
        json.beginObject()
                .field("name", policy.policy())
                .field("table", policy.table())
                .field("outcome", policy.outcome().name().toLowerCase(Locale.ROOT))
                .field("cutoff", policy.cutoff().map(Object::toString).orElse(null))
                .field("batches", policy.batches())
                .field("duration_seconds", policy.duration().toNanos() / 1e9)
                .field("error", policy.error().orElse(null))
                .field("rows_total", policy.totalRows())
                .field(
                        "stopped_by",
                        policy.stop().map(PolicyReport.Stop::reason).orElse(null))
                .field(
                        "rows_remaining",
                        policy.stop().map(PolicyReport.Stop::remaining).orElse(null))
                .field("throttled_seconds", policy.throttled().toNanos() / 1e9)
                .name("rows")
                .beginObject();
        for (TableRows table : policy.tables()) {
            json.field(table.table(), table.rows());
        }
        json.endObject().name("tables").beginArray();
        for (TableRows table : policy.tables()) {
            json.beginObject()
                    .field("table", table.table())
                    .field("rows", table.rows())
                    .field("how", table.how().label())
                    .field("via", table.via().isEmpty() ? null : table.via())
                    .field("estimated", table.estimated())
                    .endObject();
        }
        json.endArray().name("archive");
        if (policy.archive().isEmpty()) {
            json.value(null);
        } else {
            json.beginObject().name("destinations").beginArray();
            policy.archive().get().destinations().forEach(json::value);
            json.endArray().name("rows").beginObject();
            policy.archive().get().rows().forEach(json::field);
            json.endObject().field("bytes", policy.archive().get().bytes()).endObject();
        }
        json.name("notes").beginArray();
        policy.notes().forEach(json::value);
        json.endArray().name("statements").beginArray();
        for (PolicyReport.PlannedStatement statement : policy.statements()) {
            json.beginObject()
                    .field("purpose", statement.purpose())
                    .field("sql", statement.sql())
                    .field("plan", statement.index())
                    .endObject();
        }
        json.endArray().endObject();
    }

    private static double seconds(SweepReport report) {
        return report.duration().toNanos() / 1e9;
    }
}
