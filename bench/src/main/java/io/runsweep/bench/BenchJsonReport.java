package io.runsweep.bench;

import io.runsweep.bench.dryrun.DryRunResult;
import io.runsweep.bench.footprint.FootprintResult;
import io.runsweep.bench.measure.HeapPeak;
import io.runsweep.bench.measure.Latencies;
import io.runsweep.bench.measure.Machine;
import io.runsweep.bench.measure.Method;
import io.runsweep.bench.measure.MethodResult;
import io.runsweep.bench.measure.ScenarioResult;
import io.runsweep.bench.measure.ServerView;
import io.runsweep.bench.measure.TargetCheck;
import io.runsweep.bench.measure.WriterStats;
import io.runsweep.jobs.common.JsonWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** A bench run as one JSON document: the same facts as the text report, in seconds, bytes and counts. */
final class BenchJsonReport {
    private BenchJsonReport() {}

    static String render(BenchReport report) {
        Machine machine = report.machine();
        JsonWriter json = new JsonWriter()
                .beginObject()
                .name("machine")
                .beginObject()
                .field("cores", machine.cores())
                .field("os", machine.os())
                .field("java", machine.java())
                .field("max_heap_bytes", machine.maxHeapBytes())
                .field("load_average_start", machine.loadAtStart())
                .field("load_average_end", report.loadAtEnd())
                .endObject()
                .field(
                        "engine_target_duration_ms",
                        report.targetDuration().map(Duration::toMillis).orElse(null))
                .field("same_rows", report.allSameRows())
                .name("results")
                .beginArray();
        for (ScenarioResult result : report.results()) {
            scenario(json, result);
        }
        json.endArray().name("dry_runs").beginArray();
        for (DryRunResult dryRun : report.dryRuns()) {
            dryRun(json, dryRun);
        }
        json.endArray();
        if (report.footprint().isPresent()) {
            footprint(json.name("footprint"), report.footprint().get());
        } else {
            json.field("footprint", null);
        }
        return json.endObject() + "\n";
    }

    private static void dryRun(JsonWriter json, DryRunResult result) {
        json.beginObject()
                .field("database", result.kind().name().toLowerCase(Locale.ROOT))
                .field("server", result.server())
                .field("flow_runs", result.flowRuns())
                .field("largest_table", result.largestTable())
                .field("largest_table_bytes", result.largestBytes())
                .field("count_seconds", seconds(result.countTime()));
        seconds(json.name("count_seconds_each"), result.countTimes());
        json.field("dry_run_seconds", seconds(result.dryRunTime()));
        seconds(json.name("dry_run_seconds_each"), result.dryRunTimes());
        json.field("estimate_seconds", seconds(result.estimateTime()));
        seconds(json.name("estimate_seconds_each"), result.estimateTimes());
        json.field("ratio_to_count", result.ratio())
                .field("estimate_ratio_to_count", result.estimateRatio())
                .field("counts_compared", result.counts())
                .field("slowest_count", result.slowestCount().what())
                .field("slowest_count_seconds", seconds(result.slowestCount().time()))
                .field("slowest_count_ratio_to_count", result.slowestRatio())
                .field("exact", result.exact())
                .name("mismatches")
                .beginArray();
        result.mismatches().forEach(json::value);
        json.endArray();
        targets(json, result.targets());
        json.endObject();
    }

    private static void footprint(JsonWriter json, FootprintResult result) {
        json.beginObject().field("jvm_flags", result.jvmFlags()).field("help_seconds", seconds(result.helpTime()));
        seconds(json.name("help_seconds_each"), result.helpTimes());
        json.field("idle_rss_bytes", result.idleRssBytes())
                .field("busy_peak_rss_bytes", result.busyRssBytes())
                .field("busy_policy_runs", result.busyRuns())
                .field("busy_policy_runs_due", result.busyExpectedRuns())
                .field("busy_seconds", result.busySeconds());
        targets(json, result.targets());
        json.endObject();
    }

    private static void seconds(JsonWriter json, java.util.List<Duration> times) {
        json.beginArray();
        times.forEach(t -> json.value(seconds(t)));
        json.endArray();
    }

    private static void scenario(JsonWriter json, ScenarioResult result) {
        json.beginObject()
                .field("database", result.kind().name().toLowerCase(Locale.ROOT))
                .field("server", result.server())
                .field("scenario", result.scenario().key())
                .field("table", result.table())
                .field("rows", result.rows())
                .field("table_bytes", result.tableBytes())
                .field("expected_deletes", result.expectedDeletes())
                .field("load_average", result.loadAverage())
                .field("runs", result.runs())
                .field("same_rows", result.sameRows())
                .field("engine_wal_whole", result.engineWalWhole().orElse(null))
                .name("methods")
                .beginArray();
        for (MethodResult method : result.methods()) {
            method(json, result, method);
        }
        json.endArray();
        targets(json, result.targets());
        json.endObject();
    }

    private static void targets(JsonWriter json, java.util.List<TargetCheck> checks) {
        json.name("targets").beginArray();
        for (TargetCheck check : checks) {
            json.beginObject()
                    .field("target", check.target())
                    .field("met", check.met())
                    .field("measured", check.measured())
                    .field("why", check.met() ? null : check.why())
                    .endObject();
        }
        json.endArray();
    }

    private static void method(JsonWriter json, ScenarioResult result, MethodResult method) {
        json.beginObject()
                .field("method", method.method().label())
                .field("seconds", seconds(method.time()))
                .name("seconds_each")
                .beginArray();
        method.runTimes().forEach(time -> json.value(seconds(time)));
        json.endArray()
                .field("rows_deleted", method.rowsDeleted())
                .field("rows_per_second", Math.round(method.rowsPerSecond()))
                .field("ratio_to_one_delete", result.ratioToOneDelete(method))
                .field("longest_transaction_seconds", seconds(method.longestTransaction()))
                .field("longest_transaction_number", method.longest().number())
                .field("transactions", method.transactions())
                .field("in_transactions_seconds", seconds(method.inTransactions()))
                .field(
                        "before_first_transaction_seconds",
                        seconds(method.spent().beforeFirst()))
                .field("between_transactions_seconds", seconds(method.betweenTransactions()))
                .field("after_last_transaction_seconds", seconds(method.spent().afterLast()))
                .field("remaining_rows", method.remaining().rows())
                .field("remaining_digest", method.remaining().text())
                .field("error", method.error().orElse(null));
        if (method.writer().isPresent()) {
            writer(json.name("writer"), method.writer().get());
        } else {
            json.field("writer", null);
        }
        if (method.server().isPresent()) {
            server(json.name("server"), method.server().get(), oneDeleteWriteP99(result));
        } else {
            json.field("server", null);
        }
        if (method.heap().isPresent()) {
            heap(json.name("heap"), method.heap().get());
        } else {
            json.field("heap", null);
        }
        json.endObject();
    }

    private static void writer(JsonWriter json, WriterStats writer) {
        json.beginObject()
                .field("inserts", writer.inserts())
                .field("failures", writer.failures())
                .field("p50_seconds", seconds(writer.waits().p50()))
                .field("p99_seconds", seconds(writer.waits().p99()))
                .field("longest_wait_seconds", seconds(writer.longestWait()))
                .field("first_error", writer.firstError().orElse(null))
                .field("log_peak_bytes", writer.logPeakBytes())
                .field("unwaited_inserts", writer.unwaited().count())
                .field("unwaited_p99_seconds", seconds(writer.unwaited().p99()))
                .field("unwaited_max_seconds", seconds(writer.unwaited().max()))
                .endObject();
    }

    /** One DELETE's write p99 in the scenario, which the engine's writes by step are counted against. */
    private static Optional<Duration> oneDeleteWriteP99(ScenarioResult result) {
        return result.result(Method.ONE_DELETE)
                .server()
                .map(view -> view.writes().p99());
    }

    private static void server(JsonWriter json, ServerView server, Optional<Duration> oneDeleteP99) {
        json.beginObject();
        latencies(json.name("idle_writes"), server.idle());
        latencies(json.name("writes"), server.writes());
        json.field("lookups", server.lookups());
        json.field("lookups_locked", server.locked());
        latencies(json.name("lock_waits"), server.lockWaits());
        json.field("failures", server.failures())
                .field("first_error", server.firstError().orElse(null))
                .field("wal_bytes", server.walBytes())
                .field("oldest_transaction_seconds", seconds(server.oldestTransaction()))
                .field("xmin_age", server.xminAge());
        if (!server.writesByStep().isEmpty() && oneDeleteP99.isPresent()) {
            json.name("writes_by_step").beginArray();
            server.writesByStep()
                    .longerThan(oneDeleteP99.get())
                    .forEach((step, tally) -> json.beginObject()
                            .field("step", step.label())
                            .field("writes", tally.began())
                            .field("longer_than_one_delete_p99", tally.longer())
                            .endObject());
            json.endArray();
        }
        json.endObject();
    }

    private static void latencies(JsonWriter json, Latencies latencies) {
        json.beginObject()
                .field("count", latencies.count())
                .field("p50_seconds", seconds(latencies.p50()))
                .field("p99_seconds", seconds(latencies.p99()))
                .field("max_seconds", seconds(latencies.max()))
                .endObject();
    }

    private static void heap(JsonWriter json, HeapPeak heap) {
        json.beginObject()
                .field("start_bytes", heap.startBytes())
                .field("peak_used_bytes", heap.peakUsedBytes())
                .field(
                        "peak_live_bytes",
                        heap.peakLiveBytes().isPresent() ? heap.peakLiveBytes().getAsLong() : null)
                .field("collections", heap.collections())
                .field("allocated_bytes", heap.allocatedBytes())
                .endObject();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
