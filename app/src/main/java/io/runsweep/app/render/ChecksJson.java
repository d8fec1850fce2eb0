package io.runsweep.app.render;

import io.runsweep.jobs.alert.AlertState;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.checks.PolicyCheck;
import io.runsweep.jobs.checks.SnapshotCheck;
import io.runsweep.jobs.checks.StuckCheck;
import io.runsweep.jobs.checks.TableCheck;
import io.runsweep.jobs.common.JsonWriter;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.TableStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The checks as one JSON document, for scripts: the same facts as the text report, in base units. */
public final class ChecksJson {
    private ChecksJson() {}

    public static String render(ChecksReport report, List<AlertState> alerts) {
        JsonWriter json = new JsonWriter()
                .beginObject()
                .field("at", report.at().toString())
                .field("duration_seconds", report.duration().toNanos() / 1e9)
                .field("firing", alerts.stream().anyMatch(AlertState::firing))
                .name("tables")
                .beginArray();
        report.tables().forEach(t -> table(json, t));
        json.endArray().name("policies").beginArray();
        report.policies().forEach(p -> policy(json, p));
        json.endArray().name("stuck").beginArray();
        report.stuck().forEach(s -> stuck(json, s));
        json.endArray().name("sqlite_file");
        report.file().ifPresentOrElse(f -> file(json, f), () -> json.value(null));
        json.name("oldest_snapshot");
        report.snapshot().ifPresentOrElse(s -> snapshot(json, s), () -> json.value(null));
        json.name("alerts").beginArray();
        alerts.forEach(a -> alert(json, a));
        json.endArray().name("problems").beginArray();
        report.problems().forEach(p -> json.value(p));
        return json.endArray().endObject().toString() + "\n";
    }

    private static void table(JsonWriter json, TableCheck t) {
        Optional<TableStats.Upkeep> v = t.stats().upkeep();
        json.beginObject()
                .field("table", t.table())
                .field("rows", t.stats().rows().isPresent() ? t.stats().rows().getAsLong() : null)
                .field("rows_exact", t.stats().rowsExact())
                .field("total_bytes", t.stats().totalBytes())
                .field("table_bytes", t.stats().tableBytes())
                .field("index_bytes", t.stats().indexBytes())
                .field("toast_bytes", t.stats().toastBytes())
                .field("live_rows", v.map(TableStats.Upkeep::liveRows).orElse(null))
                .field("dead_rows", v.map(TableStats.Upkeep::deadRows).orElse(null))
                .field(
                        "last_vacuum",
                        v.flatMap(TableStats.Upkeep::lastVacuum)
                                .map(Instant::toString)
                                .orElse(null))
                .field(
                        "last_autovacuum",
                        v.flatMap(TableStats.Upkeep::lastAutovacuum)
                                .map(Instant::toString)
                                .orElse(null))
                .field(
                        "last_analyze",
                        v.flatMap(TableStats.Upkeep::lastAnalyze)
                                .map(Instant::toString)
                                .orElse(null))
                .field(
                        "last_autoanalyze",
                        v.flatMap(TableStats.Upkeep::lastAutoanalyze)
                                .map(Instant::toString)
                                .orElse(null))
                .endObject();
    }

    private static void policy(JsonWriter json, PolicyCheck p) {
        json.beginObject()
                .field("policy", p.policy())
                .field("table", p.table())
                .field("cutoff", p.cutoff().toString())
                .field("backlog", p.backlog())
                .field("oldest", p.oldest().map(Instant::toString).orElse(null))
                .field(
                        "oldest_age_seconds",
                        p.oldestAge().map(Duration::toSeconds).orElse(null))
                .endObject();
    }

    private static void stuck(JsonWriter json, StuckCheck s) {
        json.beginObject()
                .field("check", s.name())
                .field("table", s.table())
                .field("runs", s.runs())
                .field("older_than_seconds", s.olderThan().toSeconds())
                .endObject();
    }

    private static void file(JsonWriter json, FileStats f) {
        json.beginObject()
                .field("file", f.file().toString())
                .field("file_bytes", f.fileBytes())
                .field("page_size", f.pageSize())
                .field("page_count", f.pageCount())
                .field("free_pages", f.freePages())
                .field("wal_bytes", f.walBytes())
                .endObject();
    }

    private static void snapshot(JsonWriter json, SnapshotCheck s) {
        json.beginObject()
                .field("holder", s.oldest().map(o -> o.holder().describe()).orElse(null))
                .field("age_seconds", s.age().map(Duration::toSeconds).orElse(null))
                .field("age_transactions", s.transactions())
                .endObject();
    }

    /** Whole numbers as such: 5000000000, not 5.0E9. */
    private static Number number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Number) (long) value : (Number) value;
    }

    private static void alert(JsonWriter json, AlertState a) {
        json.beginObject()
                .field("alert", a.name())
                .field("firing", a.firing())
                .field("value", a.value().isPresent() ? number(a.value().getAsDouble()) : null)
                .field("threshold", number(a.threshold()))
                .field("message", a.message())
                .endObject();
    }
}
