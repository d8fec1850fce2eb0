package io.runsweep.app.render;

import io.runsweep.jobs.common.JsonWriter;
import io.runsweep.jobs.maintenance.FileMaintenance;
import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.maintenance.Step;
import io.runsweep.jobs.maintenance.TableMaintenance;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.TableStats;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Maintenance as JSON, for scripts: the same facts as the text. */
public final class MaintenanceJson {
    private MaintenanceJson() {}

    public static String render(MaintenanceReport report) {
        JsonWriter json = new JsonWriter();
        write(json, report);
        return json + "\n";
    }

    public static void write(JsonWriter json, MaintenanceReport report) {
        json.beginObject()
                .field("cause", report.cause())
                .field("dry_run", report.dryRun())
                .field("started_at", report.startedAt().toString())
                .field("duration_seconds", report.duration().toNanos() / 1e9)
                .field("failed", report.anyFailed())
                .name("tables")
                .beginArray();
        for (TableMaintenance table : report.tables()) {
            json.beginObject().field("table", table.table());
            step(json, table.step());
            json.name("before");
            stats(json, Optional.of(table.before()));
            json.name("after");
            stats(json, table.after());
            json.endObject();
        }
        json.endArray().name("file");
        file(json, report.file());
        strings(json.name("notes"), report.notes());
        strings(json.name("problems"), report.problems());
        json.endObject();
    }

    private static void step(JsonWriter json, Step step) {
        json.field("statement", step.statement())
                .field("reason", step.reason())
                .field("outcome", step.outcome().name().toLowerCase(Locale.ROOT))
                .field("duration_seconds", step.duration().toNanos() / 1e9)
                .field("message", step.message().orElse(null));
        strings(json.name("warnings"), step.warnings());
    }

    private static void stats(JsonWriter json, Optional<TableStats> stats) {
        if (stats.isEmpty()) {
            json.value(null);
            return;
        }
        json.beginObject()
                .field("total_bytes", stats.get().totalBytes())
                .field("live_rows", stats.get().liveRows())
                .field("dead_rows", stats.get().deadRows())
                .endObject();
    }

    private static void file(JsonWriter json, Optional<FileMaintenance> file) {
        if (file.isEmpty()) {
            json.value(null);
            return;
        }
        json.beginObject().field("file", file.get().file()).name("steps").beginArray();
        for (Step step : file.get().steps()) {
            json.beginObject();
            step(json, step);
            json.endObject();
        }
        json.endArray().name("before");
        fileStats(json, Optional.of(file.get().before()));
        json.name("after");
        fileStats(json, file.get().after());
        json.endObject();
    }

    private static void fileStats(JsonWriter json, Optional<FileStats> stats) {
        if (stats.isEmpty()) {
            json.value(null);
            return;
        }
        FileStats s = stats.get();
        json.beginObject()
                .field("file_bytes", s.fileBytes())
                .field("wal_bytes", s.walBytes())
                .field("page_size", s.pageSize())
                .field("page_count", s.pageCount())
                .field("free_pages", s.freePages())
                .field("auto_vacuum", s.autoVacuum())
                .endObject();
    }

    private static void strings(JsonWriter json, List<String> values) {
        json.beginArray();
        values.forEach(json::value);
        json.endArray();
    }
}
