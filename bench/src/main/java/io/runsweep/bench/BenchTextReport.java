package io.runsweep.bench;

import static io.runsweep.bench.measure.BenchFormat.count;
import static io.runsweep.bench.measure.BenchFormat.mebibytes;
import static io.runsweep.bench.measure.BenchFormat.ratio;
import static io.runsweep.bench.measure.BenchFormat.time;

import io.runsweep.bench.measure.BenchFormat;
import io.runsweep.bench.measure.BenchReport;
import io.runsweep.bench.measure.HeapPeak;
import io.runsweep.bench.measure.Machine;
import io.runsweep.bench.measure.Method;
import io.runsweep.bench.measure.MethodResult;
import io.runsweep.bench.measure.ScenarioResult;
import io.runsweep.bench.measure.TargetCheck;
import io.runsweep.sql.DatabaseKind;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A bench run as a person reads it: a line about the machine, then per database and scenario a table of
 * methods and the verdicts, each printed as it is measured, then the load at the end.
 */
final class BenchTextReport {
    private static final String COLUMNS = "%-16s %9s %13s %11s %14s %24s %13s";
    private static final String WRITER_COLUMNS = " %12s %16s";

    private BenchTextReport() {}

    /** The first line, printed when the bench starts. */
    static String header(Machine machine) {
        return String.format(
                Locale.ROOT,
                "runsweep bench on %d cores (load average %.2f at the start), %s, %s, max heap" + " %s%n",
                machine.cores(),
                machine.loadAtStart(),
                machine.os(),
                machine.java(),
                mebibytes(machine.maxHeapBytes()));
    }

    /** One database and scenario, printed as soon as it is measured, so that a long run shows its results as it goes. */
    static String scenario(ScenarioResult result) {
        StringBuilder out = new StringBuilder("\n");
        scenario(out, result);
        return out.toString();
    }

    /** The last line, printed when the bench ends. */
    static String footer(BenchReport report) {
        return String.format(Locale.ROOT, "%nload average %.2f at the end%n", report.loadAtEnd());
    }

    private static void scenario(StringBuilder out, ScenarioResult result) {
        boolean sqlite = result.kind() == DatabaseKind.SQLITE;
        out.append(result.server())
                .append(", ")
                .append(result.scenario().label())
                .append(": ")
                .append(count(result.rows()))
                .append(" rows in ")
                .append(result.table())
                .append(" (")
                .append(mebibytes(result.tableBytes()))
                .append(sqlite ? " file" : " with its 4 indexes")
                .append("), ")
                .append(count(result.expectedDeletes()))
                .append(" expiring\n");
        if (result.runs() > 1) {
            out.append("each method ran ")
                    .append(result.runs())
                    .append(" times, each on a fresh copy: the median run is"
                            + " shown; longest transaction and writer are the worst of all runs\n");
        }
        out.append(String.format(
                Locale.ROOT,
                COLUMNS,
                "method",
                "time",
                "rows deleted",
                "rows/s",
                "vs one DELETE",
                "longest transaction",
                "transactions"));
        out.append(sqlite ? String.format(Locale.ROOT, WRITER_COLUMNS, "writer wait", "writer failures") : "");
        out.append(result.runs() > 1 ? "  every run" : "").append('\n');
        for (MethodResult method : result.methods()) {
            row(out, result, method, sqlite);
        }
        rows(out, result);
        result.result(Method.ENGINE).heap().ifPresent(heap -> out.append(heap(heap)));
        out.append("targets:\n");
        for (TargetCheck check : result.targets()) {
            out.append(String.format(
                    Locale.ROOT, "  %-6s  %s: %s%n", check.met() ? "met" : "MISSED", check.target(), check.measured()));
        }
    }

    private static void row(StringBuilder out, ScenarioResult result, MethodResult method, boolean sqlite) {
        out.append(String.format(
                Locale.ROOT,
                COLUMNS,
                method.method().label(),
                time(method.time()),
                count(method.rowsDeleted()),
                count(Math.round(method.rowsPerSecond())),
                ratio(result.ratioToOneDelete(method)),
                time(method.longestTransaction()) + " (#" + method.longest().number() + ")",
                count(method.transactions())));
        method.writer()
                .filter(w -> sqlite)
                .ifPresent(w -> out.append(String.format(
                        Locale.ROOT,
                        WRITER_COLUMNS,
                        time(w.longestWait()),
                        count(w.failures()) + " of " + count(w.inserts()))));
        if (method.runTimes().size() > 1) {
            out.append("  ")
                    .append(method.runTimes().stream().map(BenchFormat::time).collect(Collectors.joining(", ")));
        }
        out.append('\n');
        method.error()
                .ifPresent(error -> out.append("  ")
                        .append(method.method().label())
                        .append(" FAILED: ")
                        .append(error)
                        .append('\n'));
    }

    private static void rows(StringBuilder out, ScenarioResult result) {
        if (result.sameRows()) {
            out.append("every method deleted the same ")
                    .append(count(result.expectedDeletes()))
                    .append(" rows and left the" + " same ")
                    .append(count(result.rows() - result.expectedDeletes()))
                    .append(" (digest of the Ids left ")
                    .append(result.methods().get(0).remaining().text())
                    .append(")\n");
            return;
        }
        out.append("ROWS DIFFER: expected ")
                .append(count(result.expectedDeletes()))
                .append(" deleted and ")
                .append(count(result.rows() - result.expectedDeletes()))
                .append(" left\n");
        for (MethodResult method : result.methods()) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-16s deleted %s, left %s (digest %s)%n",
                    method.method().label(),
                    count(method.rowsDeleted()),
                    count(method.remaining().rows()),
                    method.remaining().text()));
        }
    }

    private static String heap(HeapPeak heap) {
        return "runsweep engine heap: " + mebibytes(heap.startBytes()) + " in use at its start (after a collection),"
                + " peak " + mebibytes(heap.peakUsedBytes())
                + (heap.peakLiveBytes().isPresent()
                        ? ", at most " + mebibytes(heap.peakLiveBytes().getAsLong()) + " live after a collection ("
                                + heap.collections() + " collections)"
                        : " with no collection during the run")
                + "; it allocated " + mebibytes(heap.allocatedBytes()) + "\n";
    }
}
