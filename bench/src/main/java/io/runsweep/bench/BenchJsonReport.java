package io.runsweep.bench;

import io.runsweep.bench.measure.BenchReport;
import io.runsweep.bench.measure.HeapPeak;
import io.runsweep.bench.measure.Machine;
import io.runsweep.bench.measure.MethodResult;
import io.runsweep.bench.measure.ScenarioResult;
import io.runsweep.bench.measure.TargetCheck;
import io.runsweep.bench.measure.WriterStats;
import io.runsweep.jobs.common.JsonWriter;
import java.time.Duration;
import java.util.Locale;

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
                .field("same_rows", report.allSameRows())
                .name("results")
                .beginArray();
        for (ScenarioResult result : report.results()) {
            scenario(json, result);
        }
        return json.endArray().endObject() + "\n";
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
                .field("runs", result.runs())
                .field("same_rows", result.sameRows())
                .name("methods")
                .beginArray();
        for (MethodResult method : result.methods()) {
            method(json, result, method);
        }
        json.endArray().name("targets").beginArray();
        for (TargetCheck check : result.targets()) {
            json.beginObject()
                    .field("target", check.target())
                    .field("met", check.met())
                    .field("measured", check.measured())
                    .endObject();
        }
        json.endArray().endObject();
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
                .field("remaining_rows", method.remaining().rows())
                .field("remaining_digest", method.remaining().text())
                .field("error", method.error().orElse(null));
        if (method.writer().isPresent()) {
            writer(json.name("writer"), method.writer().get());
        } else {
            json.field("writer", null);
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
                .field("longest_wait_seconds", seconds(writer.longestWait()))
                .field("first_error", writer.firstError().orElse(null))
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
