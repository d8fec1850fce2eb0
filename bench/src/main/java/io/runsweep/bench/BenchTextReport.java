package io.runsweep.bench;

import static io.runsweep.bench.measure.BenchFormat.count;
import static io.runsweep.bench.measure.BenchFormat.latency;
import static io.runsweep.bench.measure.BenchFormat.mebibytes;
import static io.runsweep.bench.measure.BenchFormat.ratio;
import static io.runsweep.bench.measure.BenchFormat.time;

import io.runsweep.bench.dryrun.DryRunResult;
import io.runsweep.bench.footprint.FootprintResult;
import io.runsweep.bench.measure.BenchFormat;
import io.runsweep.bench.measure.HeapPeak;
import io.runsweep.bench.measure.Latencies;
import io.runsweep.bench.measure.Machine;
import io.runsweep.bench.measure.Method;
import io.runsweep.bench.measure.MethodResult;
import io.runsweep.bench.measure.ScenarioResult;
import io.runsweep.bench.measure.ServerView;
import io.runsweep.bench.measure.TargetCheck;
import io.runsweep.sql.DatabaseKind;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A bench run as a person reads it: a line about the machine, then per database and scenario a table of
 * methods and the verdicts, each printed as it is measured, then the load at the end.
 */
final class BenchTextReport {
    private static final String COLUMNS = "%-16s %9s %13s %11s %14s %24s %13s";
    private static final String WRITER_COLUMNS = " %11s %12s %16s %10s %19s";
    private static final String SERVER_COLUMNS = "%-16s %10s %10s %10s %8s %12s %14s %12s %11s%n";

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

    /**
     * The engine's batch target, when --target-duration replaced reference.conf's: a line under the header, so that
     * runs at several targets (the SQLite frontier of time vs the writer's wait) say which is which.
     */
    static String engine(Optional<Duration> targetDuration) {
        return targetDuration
                .map(d -> "runsweep engine with runsweep.batch.target-duration = " + d.toMillis()
                        + "ms (--target-duration); SQLite batches aim at three quarters of it\n")
                .orElse("");
    }

    /** What "engine, pool 1" is, when --also-one-connection measures it: a line under the header. */
    static String oneConnection(boolean measured) {
        return measured
                ? Method.ENGINE_ONE_CONNECTION.label() + ": the runsweep engine with runsweep.database.pool-size = 1"
                        + " (--also-one-connection), PostgreSQL only: having no connection to spare, it counts the"
                        + " expiring rows before its first batch; the runsweep engine counts them beside its batches\n"
                : "";
    }

    /** What "engine, server's WAL" is, when --also-server-wal measures it: a line under the header. */
    static String serverWal(boolean measured) {
        return measured
                ? Method.ENGINE_SERVER_WAL.label() + ": the runsweep engine with runsweep.batch.compress-wal = false"
                        + " (--also-server-wal), PostgreSQL only: its batches write their WAL's full-page images as the"
                        + " server does; the runsweep engine compresses them with lz4 where the server has it and"
                        + " lets the role say so\n"
                : "";
    }

    /** One database and scenario, printed as soon as it is measured, so that a long run shows its results as it goes. */
    static String scenario(ScenarioResult result) {
        StringBuilder out = new StringBuilder("\n");
        scenario(out, result);
        return out.toString();
    }

    /** The Prefect preset's dry run beside one count(*). */
    static String dryRun(DryRunResult result) {
        StringBuilder out = new StringBuilder("\n");
        out.append(result.server())
                .append(", dry run of the Prefect preset: ")
                .append(count(result.flowRuns()))
                .append(" flow runs with their history; the largest table it reads is ")
                .append(result.largestTable())
                .append(" (")
                .append(mebibytes(result.largestBytes()))
                .append(" with its indexes)\n");
        out.append(String.format(
                Locale.ROOT,
                "%-36s %9s  each: %s%n",
                "count(*) of " + result.largestTable(),
                time(result.countTime()),
                times(result.countTimes())));
        out.append(String.format(
                Locale.ROOT,
                "%-36s %9s  each: %s%n",
                "runsweep sweep --dry-run",
                time(result.dryRunTime()),
                times(result.dryRunTimes())));
        out.append(String.format(
                Locale.ROOT,
                "%-36s %9s  each: %s%n",
                "runsweep sweep --dry-run --estimate",
                time(result.estimateTime()),
                times(result.estimateTimes())));
        out.append(
                result.exact()
                        ? "every one of the " + result.counts() + " counts it reported equals a plain count of the same"
                                + " rows; the slowest of those, "
                                + result.slowestCount().what() + ", took "
                                + time(result.slowestCount().time()) + " alone\n"
                        : "COUNTS DIFFER: " + String.join("; ", result.mismatches()) + "\n");
        targets(out, result.targets());
        return out.toString();
    }

    /** runsweep.jar as a process. */
    static String footprint(FootprintResult result) {
        StringBuilder out = new StringBuilder("\n");
        out.append("runsweep.jar as a process, JVM flags: ")
                .append(result.jvmFlags().isEmpty() ? "none (the JVM's defaults)" : result.jvmFlags())
                .append('\n');
        out.append(String.format(
                Locale.ROOT,
                "%-36s %12s  each: %s%n",
                "java -jar runsweep.jar --help",
                time(result.helpTime()),
                times(result.helpTimes())));
        out.append(String.format(
                Locale.ROOT,
                "%-36s %12s  resident, the Prefect preset's policies scheduled, none due%n",
                "daemon, idle",
                mebibytes(result.idleRssBytes())));
        out.append(String.format(
                Locale.ROOT,
                "%-36s %12s  resident at the peak; %d policy runs of %d due in %d s%n",
                "daemon, ten policies a second",
                mebibytes(result.busyRssBytes()),
                result.busyRuns(),
                result.busyExpectedRuns(),
                result.busySeconds()));
        targets(out, result.targets());
        return out.toString();
    }

    private static String times(java.util.List<java.time.Duration> times) {
        return times.stream().map(BenchFormat::time).collect(Collectors.joining(", "));
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
                .append(String.format(
                        Locale.ROOT, " expiring; load average %.2f when it ended%n", result.loadAverage()));
        if (result.runs() > 1) {
            out.append("each method ran ")
                    .append(result.runs())
                    .append(" times, each on a fresh copy, in rounds whose order alternates: the median run is"
                            + " shown; longest transaction and waits are the worst of all runs\n");
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
        out.append(
                sqlite
                        ? String.format(
                                Locale.ROOT,
                                WRITER_COLUMNS,
                                "writer p99",
                                "writer wait",
                                "writer failures",
                                "log peak",
                                "no-wait p99, max")
                        : "");
        out.append(result.runs() > 1 ? "  every run" : "").append('\n');
        for (MethodResult method : result.methods()) {
            row(out, result, method, sqlite);
        }
        rows(out, result);
        server(out, result);
        result.result(Method.ENGINE).heap().ifPresent(heap -> out.append(heap(heap)));
        targets(out, result.targets());
    }

    private static void targets(StringBuilder out, java.util.List<TargetCheck> checks) {
        out.append("targets:\n");
        for (TargetCheck check : checks) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-6s  %s: %s%s%n",
                    check.met() ? "met" : "MISSED",
                    check.target(),
                    check.measured(),
                    check.met() ? "" : "; why: " + check.why()));
        }
    }

    /** PostgreSQL: what the scheduler's server felt during each method, beside its own work with no purge. */
    private static void server(StringBuilder out, ScenarioResult result) {
        if (result.methods().stream().anyMatch(m -> m.server().isEmpty())) {
            return;
        }
        out.append("what the scheduler's server felt: its writes (a run started and one finished, each with a log"
                + " line, 100 a second) and its lookups of expiring rows FOR KEY SHARE (50 a second)\n");
        out.append(String.format(
                Locale.ROOT,
                SERVER_COLUMNS,
                "method",
                "writes p50",
                "p99",
                "max",
                "failures",
                "lock waits",
                "longest wait",
                "WAL written",
                "oldest xact"));
        Latencies idle = Latencies.pooled(result.methods().stream()
                .map(m -> m.server().orElseThrow().idle())
                .toList());
        out.append(String.format(
                Locale.ROOT,
                SERVER_COLUMNS,
                "no purge",
                latency(idle.p50()),
                latency(idle.p99()),
                latency(idle.max()),
                "",
                "",
                "",
                "",
                ""));
        for (MethodResult method : result.methods()) {
            ServerView view = method.server().orElseThrow();
            out.append(String.format(
                    Locale.ROOT,
                    SERVER_COLUMNS,
                    method.method().label(),
                    latency(view.writes().p50()),
                    latency(view.writes().p99()),
                    latency(view.writes().max()),
                    count(view.failures()),
                    count(view.locked()) + " of " + count(view.lookups()),
                    latency(view.lockWaits().max()),
                    mebibytes(view.walBytes()),
                    time(view.oldestTransaction())));
        }
        out.append("oldest snapshot held (xmin age, in transactions): ")
                .append(result.methods().stream()
                        .map(m -> m.method().label() + " "
                                + count(m.server().orElseThrow().xminAge()))
                        .collect(Collectors.joining(", ")))
                .append('\n');
        out.append(result.engineWalWhole()
                        .map(why -> "the runsweep engine's batches wrote their WAL's full-page images whole, as the"
                                + " server does: " + why)
                        .orElse("the runsweep engine's batches wrote their WAL's full-page images compressed with"
                                + " lz4"))
                .append('\n');
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
                        latency(w.waits().p99()),
                        time(w.longestWait()),
                        count(w.failures()) + " of " + count(w.inserts()),
                        mebibytes(w.logPeakBytes()),
                        w.unwaited().count() == 0
                                ? "-"
                                : latency(w.unwaited().p99()) + ", "
                                        + latency(w.unwaited().max()))));
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
