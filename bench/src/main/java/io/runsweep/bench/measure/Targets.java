package io.runsweep.bench.measure;

import static io.runsweep.bench.measure.BenchFormat.latency;
import static io.runsweep.bench.measure.BenchFormat.time;

import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.sqlite.SqliteBusyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The engine's targets (issues 3 and 12), judged from one scenario's numbers; a missed one says where the
 * numbers point.
 */
public final class Targets {
    private static final Duration LONGEST_TRANSACTION = Duration.ofMillis(500);
    private static final Duration STEADY_SLACK = Duration.ofMillis(50);
    private static final Duration WRITER_WAIT = Duration.ofMillis(250);
    private static final Duration LOCK_WAIT = Duration.ofMillis(200);
    /** A writer's try and its own insert and commit, beyond the moment the busy handler wakes it. */
    private static final Duration BUSY_TRY_SLACK = Duration.ofMillis(20);

    private Targets() {}

    public static List<TargetCheck> of(ScenarioResult result) {
        MethodResult engine = result.result(Method.ENGINE);
        if (engine.error().isPresent()) {
            return List.of(TargetCheck.judged(
                    "runsweep engine completes",
                    false,
                    "it failed: " + engine.error().get(),
                    "see the error"));
        }
        List<TargetCheck> checks = new ArrayList<>();
        if (result.kind() == DatabaseKind.SQLITE) {
            sqliteBacklog(result, engine, checks);
        } else if (result.scenario() == Scenario.STEADY_STATE) {
            checks.add(postgresSteady(result, engine));
            server(result, engine, checks);
        } else {
            postgresBacklog(result, engine, checks);
            server(result, engine, checks);
        }
        return result.busy() ? checks.stream().map(c -> busy(c, result)).toList() : checks;
    }

    /** On a machine busier than its cores, a miss may be the other processes' doing, and says so. */
    private static TargetCheck busy(TargetCheck check, ScenarioResult result) {
        if (check.met()) {
            return check;
        }
        return new TargetCheck(
                check.target(),
                false,
                check.measured(),
                check.why()
                        + String.format(
                                Locale.ROOT,
                                "; the machine was busy (load average %.2f on %d cores): run it again when quieter",
                                result.loadAverage(),
                                result.cores()));
    }

    private static void postgresBacklog(ScenarioResult result, MethodResult engine, List<TargetCheck> checks) {
        MethodResult loop = result.result(Method.ID_IN_LOOP);
        double faster = engine.time().isZero()
                ? 0
                : (double) loop.time().toNanos() / engine.time().toNanos();
        checks.add(atMostTimesOneDelete(result, engine, 1.10));
        checks.add(TargetCheck.judged(
                "runsweep engine at least 3x faster than the Id IN loop",
                faster >= 3.0,
                times(faster) + " faster (" + time(engine.time()) + " vs " + time(loop.time()) + ")",
                whereTheTimeWent(engine)));
        checks.add(TargetCheck.judged(
                "no runsweep engine transaction longer than 0.5 s",
                engine.longestTransaction().compareTo(LONGEST_TRANSACTION) <= 0,
                "longest " + time(engine.longestTransaction()) + ", transaction "
                        + engine.longest().number() + " of " + engine.longest().of(),
                "a batch sized from the one before it overshot runsweep.batch.target-duration"));
    }

    private static TargetCheck postgresSteady(ScenarioResult result, MethodResult engine) {
        MethodResult oneDelete = result.result(Method.ONE_DELETE);
        double ratio = result.ratioToOneDelete(engine);
        Duration more = engine.time().minus(oneDelete.time());
        return TargetCheck.judged(
                "runsweep engine at most 1.5x one DELETE, or at most 50 ms more",
                ratio <= 1.5 || more.compareTo(STEADY_SLACK) <= 0,
                times(ratio) + ", " + signed(more) + " (" + time(engine.time()) + " vs " + time(oneDelete.time()) + ")",
                whereTheTimeWent(engine));
    }

    /** What the scheduler's server felt during the engine, against what it felt during one DELETE. */
    private static void server(ScenarioResult result, MethodResult engine, List<TargetCheck> checks) {
        if (engine.server().isEmpty()
                || result.result(Method.ONE_DELETE).server().isEmpty()) {
            return;
        }
        ServerView during = engine.server().get();
        ServerView oneDelete = result.result(Method.ONE_DELETE).server().get();
        checks.add(TargetCheck.judged(
                "the server's writes: p99 during the runsweep engine no worse than during one DELETE",
                during.writes().p99().compareTo(oneDelete.writes().p99()) <= 0,
                "p99 "
                        + BenchFormat.latencies(
                                during.writes().p99(), oneDelete.writes().p99()) + " (idle "
                        + latency(during.idle().p99()) + ")",
                whereTheSlowWritesFell(during, oneDelete.writes().p99(), engine) + "; WAL "
                        + BenchFormat.mebibytes(during.walBytes()) + " vs "
                        + BenchFormat.mebibytes(oneDelete.walBytes())
                        + result.engineWalWhole()
                                .map(why -> ", the engine's batches writing their full-page images whole, as the server"
                                        + " does, not compressed with lz4: " + why)
                                .orElse("")));
        checks.add(TargetCheck.judged(
                "no wait on the runsweep engine's locks above 200 ms",
                during.lockWaits().max().compareTo(LOCK_WAIT) <= 0,
                "longest " + time(during.lockWaits().max()) + "; "
                        + during.locked() + " of " + during.lookups()
                        + " lookups of expiring rows found theirs locked",
                "a lookup waits for the batch that deleted its row to commit; the longest transaction was "
                        + time(engine.longestTransaction())));
    }

    /**
     * The writes during the engine that took longer than one DELETE's p99, against how many may for the engine's p99
     * to stay within it, and the step of the engine each began in beside the share of all writes that began there: a
     * step that holds more of the slow writes than of all writes is where the extra latency came from.
     */
    static String whereTheSlowWritesFell(ServerView during, Duration oneDeleteP99, MethodResult engine) {
        Latencies writes = during.writes();
        String slow = writes.over(oneDeleteP99) + " of the " + writes.count() + " writes during the engine's "
                + engine.transactions() + " transactions took longer than one DELETE's p99 (at most "
                + writes.allowedAbove(99) + " may)";
        if (during.writesByStep().isEmpty()) {
            return slow;
        }
        List<String> steps = new ArrayList<>();
        during.writesByStep().longerThan(oneDeleteP99).forEach((step, tally) -> {
            String share = String.format(
                    Locale.ROOT,
                    "%.0f%%",
                    100.0 * tally.began() / during.writesByStep().count());
            steps.add(tally.longer() + " began " + step.label()
                    + (steps.isEmpty() ? ", where " + share + " of the writes began" : " (" + share + ")"));
        });
        return slow + ": " + String.join("; ", steps);
    }

    private static void sqliteBacklog(ScenarioResult result, MethodResult engine, List<TargetCheck> checks) {
        checks.add(atMostTimesOneDelete(result, engine, 1.3));
        MethodResult loop = result.result(Method.ID_IN_LOOP);
        checks.add(TargetCheck.judged(
                "runsweep engine never slower than the Id IN loop",
                engine.time().compareTo(loop.time()) <= 0,
                time(engine.time()) + " vs " + time(loop.time()),
                whereTheTimeWent(engine)));
        WriterStats writer = engine.writer().orElseThrow();
        checks.add(TargetCheck.judged(
                "the writer never waits more than 250 ms during the runsweep engine",
                writer.longestWait().compareTo(WRITER_WAIT) <= 0,
                "longest wait " + time(writer.longestWait()) + ", p99 "
                        + latency(writer.waits().p99()),
                whyTheWriterWaited(engine, writer)));
        checks.add(TargetCheck.judged(
                "the writer never fails during the runsweep engine",
                writer.failures() == 0,
                writer.failures() + " failures in " + writer.inserts() + " inserts",
                writer.firstError().orElse("")));
    }

    /**
     * A writer that found the lock taken waits for the batch and then for its next try (SQLite's busy handler):
     * whether the longest batch accounts for the longest wait, or something else held the writer too.
     */
    private static String whyTheWriterWaited(MethodResult engine, WriterStats writer) {
        Duration longest = engine.longestTransaction();
        Duration byBatch = SqliteBusyHandler.waitFor(longest);
        String batch = "the longest batch took " + time(longest) + " (transaction "
                + engine.longest().number()
                + " of " + engine.longest().of() + "), and a writer that waited since its start tried again at "
                + time(byBatch);
        if (writer.longestWait().compareTo(byBatch.plus(BUSY_TRY_SLACK)) > 0) {
            return "longer than a batch explains: " + batch
                    + "; the rest went elsewhere (the writer's own commit, a checkpoint, the disk)";
        }
        return "the writer waits for a whole batch and retries on SQLite's busy handler's schedule: " + batch;
    }

    /** Three decimals, so that a ratio just over a bound never prints as the bound itself. */
    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.3fx", ratio);
    }

    private static String signed(Duration d) {
        return d.isNegative() ? "-" + time(d.negated()) : "+" + time(d);
    }

    private static TargetCheck atMostTimesOneDelete(ScenarioResult result, MethodResult engine, double most) {
        double ratio = result.ratioToOneDelete(engine);
        return TargetCheck.judged(
                String.format(Locale.ROOT, "runsweep engine at most %.2fx one DELETE", most),
                ratio <= most,
                times(ratio) + " (" + time(engine.time()) + " vs "
                        + time(result.result(Method.ONE_DELETE).time()) + ")",
                whereTheTimeWent(engine));
    }

    /**
     * The engine's time in its transactions and outside them: before the first (planning; on PostgreSQL, a
     * block-range sweep's count of the rows that match), between them (on SQLite, the checkpoints and the pauses that
     * let a waiting writer in), after the last (on PostgreSQL, counting what is left unless a block-range sweep proved
     * none escaped; on SQLite, the last checkpoint).
     */
    static String whereTheTimeWent(MethodResult engine) {
        if (engine.transactions() == 0) {
            return "no transactions; " + time(engine.time()) + " planning";
        }
        TimeSpent spent = engine.spent();
        Duration outside = engine.time().minus(spent.inTransactions());
        boolean sqlite = engine.writer().isPresent();
        return time(spent.inTransactions()) + " in " + engine.transactions() + " transactions, "
                + time(outside.isNegative() ? Duration.ZERO : outside) + " outside them: "
                + time(spent.beforeFirst()) + " before the first (planning"
                + (sqlite ? "" : "; a block-range sweep's count of the rows that match") + "), "
                + time(engine.betweenTransactions()) + " between them"
                + (sqlite ? " (checkpoints, and the pauses that let a waiting writer in)" : "") + ", "
                + time(spent.afterLast()) + " after the last "
                + (sqlite
                        ? "(the last checkpoint)"
                        : "(counting what is left, unless a block-range sweep proved none" + " escaped)");
    }
}
