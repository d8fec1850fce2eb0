package io.runsweep.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.DatabaseKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The targets judged from given numbers: the verdicts, the numbers they quote, and why a miss happened. */
class TargetsTest {
    static final RowDigest LEFT = RowDigest.EMPTY.plus("a").plus("b");

    @Test
    void postgresBacklogQuotesRatioSpeedUpLongestTransactionAndWhereTheTimeWent() {
        ScenarioResult result = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.BACKLOG,
                method(Method.ONE_DELETE, 1450, 1450, 1),
                method(Method.ID_IN_LOOP, 4900, 95, 71),
                method(Method.ENGINE, 1600, 510, 12));

        assertEquals(
                List.of(
                        new TargetCheck(
                                "runsweep engine at most 1.10x one DELETE",
                                false,
                                "1.103x (1.60 s vs 1.45 s)",
                                "800 ms in 12 transactions, 800 ms outside them: 160 ms before the first (planning; a"
                                        + " block-range sweep's count of the rows that match), 320 ms between them, 320 ms after"
                                        + " the last (counting what is left, unless a block-range sweep proved none escaped)"),
                        new TargetCheck(
                                "runsweep engine at least 3x faster than the Id IN loop",
                                true,
                                "3.063x faster (1.60 s vs 4.90 s)",
                                ""),
                        new TargetCheck(
                                "no runsweep engine transaction longer than 0.5 s",
                                false,
                                "longest 510 ms, transaction 12 of 12",
                                "a batch sized from the one before it overshot runsweep.batch.target-duration")),
                result.targets());
    }

    @Test
    void postgresSteadyStateIsMetByEitherTheRatioOrTheFiftyMilliseconds() {
        ScenarioResult slowButClose = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.STEADY_STATE,
                method(Method.ONE_DELETE, 22, 22, 1),
                method(Method.ID_IN_LOOP, 158, 158, 2),
                method(Method.ENGINE, 60, 10, 3));
        assertEquals(
                List.of(new TargetCheck(
                        "runsweep engine at most 1.5x one DELETE, or at most 50 ms more",
                        true,
                        "2.727x, +38 ms (60 ms vs 22 ms)",
                        "")),
                slowButClose.targets());

        ScenarioResult tooSlow = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.STEADY_STATE,
                method(Method.ONE_DELETE, 400, 400, 1),
                method(Method.ID_IN_LOOP, 500, 100, 2),
                method(Method.ENGINE, 700, 10, 3));
        assertEquals(
                List.of(new TargetCheck(
                        "runsweep engine at most 1.5x one DELETE, or at most 50 ms more",
                        false,
                        "1.750x, +300 ms (700 ms vs 400 ms)",
                        "350 ms in 3 transactions, 350 ms outside them: 70 ms before the first (planning; a"
                                + " block-range sweep's count of the rows that match), 140 ms between them, 140 ms after the"
                                + " last (counting what is left, unless a block-range sweep proved none escaped)")),
                tooSlow.targets());
    }

    @Test
    void theServersWritesAndLockWaitsAreJudgedAgainstOneDelete() {
        ScenarioResult result = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.BACKLOG_INTERLEAVED,
                method(Method.ONE_DELETE, 1000, 1000, 1).withServer(server(10, 900)),
                method(Method.ID_IN_LOOP, 5000, 100, 70).withServer(server(12, 100)),
                method(Method.ENGINE, 1050, 190, 8).withServer(server(11, 180)));

        List<TargetCheck> checks = result.targets();

        assertEquals(5, checks.size(), checks.toString());
        assertEquals(
                new TargetCheck(
                        "the server's writes: p99 during the runsweep engine no worse than during one DELETE",
                        false,
                        "p99 11 ms vs 10 ms (idle 1.00 ms)",
                        "2 of the 100 writes during the engine's 8 transactions took longer than one DELETE's p99"
                                + " (at most 1 may); WAL 1.0 MiB vs 1.0 MiB"),
                checks.get(3));
        assertEquals(
                new TargetCheck(
                        "no wait on the runsweep engine's locks above 200 ms",
                        true,
                        "longest 180 ms; 2 of 50 lookups of expiring rows found theirs locked",
                        ""),
                checks.get(4));
    }

    @Test
    void aMissedWriteP99SaysWhenTheEnginesBatchesWroteTheirFullPageImagesWhole() {
        MethodResult[] methods = {
            method(Method.ONE_DELETE, 1000, 1000, 1).withServer(server(10, 900)),
            method(Method.ID_IN_LOOP, 5000, 100, 70).withServer(server(12, 100)),
            method(Method.ENGINE, 1050, 190, 8).withServer(server(11, 180))
        };
        ScenarioResult result = new ScenarioResult(
                DatabaseKind.POSTGRESQL,
                "server",
                Scenario.BACKLOG,
                "t",
                5,
                8192,
                3,
                List.of(methods),
                0.5,
                2,
                Optional.of("the server has no lz4 for its WAL (PostgreSQL 15 and later, built with lz4)"));

        assertEquals(
                "2 of the 100 writes during the engine's 8 transactions took longer than one DELETE's p99 (at most 1"
                        + " may); WAL 1.0 MiB vs 1.0 MiB, the engine's batches writing their full-page images whole,"
                        + " as the server does, not compressed with lz4: the server has no lz4 for its WAL (PostgreSQL"
                        + " 15 and later, built with lz4)",
                result.targets().get(3).why());
    }

    @Test
    void writeLatenciesThatWholeMillisecondsWouldPrintAlikeAreQuotedWithTheirFraction() {
        ScenarioResult result = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.BACKLOG,
                method(Method.ONE_DELETE, 1000, 1000, 1).withServer(server(Duration.ofNanos(10_980_000), 900)),
                method(Method.ID_IN_LOOP, 5000, 100, 70).withServer(server(12, 100)),
                method(Method.ENGINE, 1050, 190, 8).withServer(server(Duration.ofNanos(11_230_000), 180)));

        assertEquals(
                new TargetCheck(
                        "the server's writes: p99 during the runsweep engine no worse than during one DELETE",
                        false,
                        "p99 11.23 ms vs 10.98 ms (idle 1.00 ms)",
                        "2 of the 100 writes during the engine's 8 transactions took longer than one DELETE's p99"
                                + " (at most 1 may); WAL 1.0 MiB vs 1.0 MiB"),
                result.targets().get(3));
    }

    /**
     * Each write placed by when it began in the engine's steps: 2 ms before the first batch, the count beside the
     * batches from 10 to 30 ms, the batches alone to 100 ms, after the last batch to 110 ms; writes every 2 ms.
     */
    @Test
    void aMissedWriteP99SaysWhichStepsOfTheEngineTheSlowWritesBeganIn() {
        long ms = 1_000_000;
        EngineSteps steps = new EngineSteps(
                OptionalLong.of(2 * ms), OptionalLong.of(100 * ms), OptionalLong.of(10 * ms), OptionalLong.of(30 * ms));
        long[] began = LongStream.range(0, 55).map(i -> i * 2 * ms).toArray();
        // Slow: two beside the count (12 and 20 ms), one in the batches alone (60 ms).
        long[] took = LongStream.of(began)
                .map(b -> b == 12 * ms || b == 20 * ms ? 14 * ms : b == 60 * ms ? 12 * ms : ms)
                .toArray();
        ServerView engineView = withWrites(server(11, 180), took, WritesByStep.place(steps, began, took));
        ScenarioResult result = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.BACKLOG,
                method(Method.ONE_DELETE, 1000, 1000, 1).withServer(server(10, 900)),
                method(Method.ID_IN_LOOP, 5000, 100, 70).withServer(server(12, 100)),
                method(Method.ENGINE, 1050, 190, 8).withServer(engineView));

        TargetCheck p99 = result.targets().get(3);

        assertEquals(
                new TargetCheck(
                        "the server's writes: p99 during the runsweep engine no worse than during one DELETE",
                        false,
                        "p99 14 ms vs 10 ms (idle 1.00 ms)",
                        "3 of the 55 writes during the engine's 8 transactions took longer than one DELETE's p99 (at"
                                + " most 0 may): 0 began before the first batch, where 2% of the writes began; 2 began"
                                + " beside the count of the matching rows (20%); 1 began in the batches alone (71%);"
                                + " 0 began after the last batch (7%); WAL 1.0 MiB vs 1.0 MiB"),
                p99);
    }

    @Test
    void theWritesThatMayExceedABoundWhileThePercentileStaysWithinIt() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertEquals(1, Latencies.of(hundred).allowedAbove(99));
        assertEquals(Duration.ofNanos(99), Latencies.of(hundred).p99());
        assertEquals(1, Latencies.of(hundred).over(Duration.ofNanos(99)), "one above the p99, as allowed");
        long[] fiftyFive = LongStream.rangeClosed(1, 55).toArray();
        assertEquals(0, Latencies.of(fiftyFive).allowedAbove(99), "rank 55 of 55: none may");
        assertEquals(Duration.ofNanos(55), Latencies.of(fiftyFive).p99());
        assertEquals(8, Latencies.of(LongStream.rangeClosed(1, 850).toArray()).allowedAbove(99));
    }

    @Test
    void sqliteJudgesTheEngineAgainstOneDeleteAndTheLoopAndTheWriterDuringTheEngineOnly() {
        ScenarioResult result = scenario(
                DatabaseKind.SQLITE,
                Scenario.BACKLOG,
                withWriter(method(Method.ONE_DELETE, 10_000, 10_000, 1), 5000, 2, 400),
                withWriter(method(Method.ID_IN_LOOP, 9_000, 900, 10), 900, 0, 600),
                withWriter(method(Method.ENGINE, 12_000, 120, 100), 80, 0, 1200));

        assertEquals(
                List.of(
                        new TargetCheck(
                                "runsweep engine at most 1.30x one DELETE", true, "1.200x (12.00 s vs 10.00 s)", ""),
                        new TargetCheck(
                                "runsweep engine never slower than the Id IN loop",
                                false,
                                "12.00 s vs 9.00 s",
                                "6.00 s in 100 transactions, 6.00 s outside them: 1.20 s before the first (planning), 2.40 s"
                                        + " between them (checkpoints, and the pauses that let a waiting writer in), 2.40 s"
                                        + " after the last (the last checkpoint)"),
                        new TargetCheck(
                                "the writer never waits more than 250 ms during the runsweep engine",
                                true,
                                "longest wait 80 ms, p99 1.00 ms",
                                ""),
                        new TargetCheck(
                                "the writer never fails during the runsweep engine",
                                true,
                                "0 failures in 1200 inserts",
                                "")),
                result.targets());
    }

    @Test
    void aWriterThatWaitedLongerThanItsBatchAndItsNextTryIsToldApartFromOneThatDidNot() {
        TargetCheck byBatch = writerCheck(262, 333);
        TargetCheck byMore = writerCheck(200, 360);

        assertEquals(
                new TargetCheck(
                        "the writer never waits more than 250 ms during the runsweep engine",
                        false,
                        "longest wait 333 ms, p99 1.00 ms",
                        "the writer waits for a whole batch and retries on SQLite's busy handler's schedule: the"
                                + " longest batch took 262 ms (transaction 60 of 60), and a writer that waited since"
                                + " its start tried again at 328 ms"),
                byBatch);
        assertEquals(
                "longer than a batch explains: the longest batch took 200 ms (transaction 60 of 60), and a writer"
                        + " that waited since its start tried again at 228 ms; the rest went elsewhere (the"
                        + " writer's own commit, a checkpoint, the disk)",
                byMore.why());
    }

    private static TargetCheck writerCheck(long longestTransactionMillis, long longestWaitMillis) {
        ScenarioResult result = scenario(
                DatabaseKind.SQLITE,
                Scenario.BACKLOG,
                withWriter(method(Method.ONE_DELETE, 10_000, 10_000, 1), 5000, 0, 400),
                withWriter(method(Method.ID_IN_LOOP, 9_000, 900, 10), 900, 0, 600),
                withWriter(method(Method.ENGINE, 12_000, longestTransactionMillis, 60), longestWaitMillis, 0, 1200));
        return result.targets().get(2);
    }

    @Test
    void onABusyMachineAMissSaysSo() {
        ScenarioResult busy = new ScenarioResult(
                DatabaseKind.POSTGRESQL,
                "server",
                Scenario.STEADY_STATE,
                "t",
                5,
                8192,
                3,
                List.of(
                        method(Method.ONE_DELETE, 400, 400, 1),
                        method(Method.ID_IN_LOOP, 500, 100, 2),
                        method(Method.ENGINE, 700, 10, 3)),
                6.5,
                2,
                Optional.empty());

        assertEquals(
                "350 ms in 3 transactions, 350 ms outside them: 70 ms before the first (planning; a block-range"
                        + " sweep's count of the rows that match), 140 ms between them, 140 ms after the last (counting"
                        + " what is left, unless a block-range sweep proved none escaped); the machine was busy"
                        + " (load average 6.50 on 2 cores): run it again when quieter",
                busy.targets().get(0).why());
    }

    @Test
    void aFailedEngineMissesWithItsError() {
        MethodResult failed = MethodResult.single(
                Method.ENGINE,
                Duration.ofMillis(5),
                0,
                0,
                new MethodResult.Longest(Duration.ZERO, 0, 0),
                new TimeSpent(Duration.ZERO, Duration.ZERO, Duration.ZERO),
                LEFT,
                Optional.of("delete batch failed"),
                Optional.empty());
        ScenarioResult result = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.BACKLOG,
                method(Method.ONE_DELETE, 10, 10, 1),
                method(Method.ID_IN_LOOP, 20, 10, 2),
                failed);

        assertEquals(
                List.of(new TargetCheck(
                        "runsweep engine completes", false, "it failed: delete batch failed", "see the error")),
                result.targets());
        assertFalse(result.sameRows());
    }

    @Test
    void sameRowsNeedsTheExpectedCountAndOneDigest() {
        ScenarioResult same = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.BACKLOG,
                method(Method.ONE_DELETE, 10, 10, 1),
                method(Method.ID_IN_LOOP, 20, 10, 2),
                method(Method.ENGINE, 15, 5, 3));
        assertTrue(same.sameRows());

        MethodResult other = MethodResult.single(
                Method.ENGINE,
                Duration.ofMillis(15),
                3,
                3,
                new MethodResult.Longest(Duration.ofMillis(5), 2, 2),
                new TimeSpent(Duration.ofMillis(10), Duration.ZERO, Duration.ZERO),
                RowDigest.EMPTY.plus("a").plus("c"),
                Optional.empty(),
                Optional.empty());
        assertFalse(scenario(
                        DatabaseKind.POSTGRESQL,
                        Scenario.BACKLOG,
                        method(Method.ONE_DELETE, 10, 10, 1),
                        method(Method.ID_IN_LOOP, 20, 10, 2),
                        other)
                .sameRows());
    }

    /** Five rows, three expiring, two left ("a" and "b"), on a quiet machine. */
    private static ScenarioResult scenario(DatabaseKind kind, Scenario scenario, MethodResult... methods) {
        return new ScenarioResult(
                kind, "server", scenario, "t", 5, 8192, 3, List.of(methods), 0.5, 2, Optional.empty());
    }

    /** Half its time in its transactions, a tenth before the first, a fifth after the last. */
    private static MethodResult method(Method method, long millis, long longestMillis, int transactions) {
        return MethodResult.single(
                method,
                Duration.ofMillis(millis),
                3,
                transactions,
                new MethodResult.Longest(Duration.ofMillis(longestMillis), transactions, transactions),
                new TimeSpent(
                        Duration.ofMillis(millis / 2), Duration.ofMillis(millis / 10), Duration.ofMillis(millis / 5)),
                LEFT,
                Optional.empty(),
                Optional.of(new HeapPeak(1 << 19, 1 << 20, OptionalLong.empty(), 0, 0)));
    }

    private static MethodResult withWriter(MethodResult result, long waitMillis, long failures, long inserts) {
        long[] waits = LongStream.range(0, inserts)
                .map(i -> i == 0 ? waitMillis * 1_000_000 : 1_000_000)
                .toArray();
        return result.withWriter(new WriterStats(Latencies.of(waits), failures, Optional.empty(), 0, Latencies.NONE));
    }

    /**
     * 100 writes taking 1 ms but for the slowest two, {@code p99Millis}; 50 lookups of which two found their row
     * locked, one waiting {@code longestWaitMillis}; 1 MiB of WAL.
     */
    private static ServerView server(long p99Millis, long longestWaitMillis) {
        return server(Duration.ofMillis(p99Millis), longestWaitMillis);
    }

    /** {@code view} with these writes instead of its own. */
    private static ServerView withWrites(ServerView view, long[] took, WritesByStep byStep) {
        return new ServerView(
                view.idle(),
                Latencies.of(took),
                view.lookups(),
                view.locked(),
                view.lockWaits(),
                view.failures(),
                view.firstError(),
                view.walBytes(),
                view.oldestTransaction(),
                view.xminAge(),
                byStep);
    }

    private static ServerView server(Duration p99, long longestWaitMillis) {
        long[] writes = LongStream.range(0, 100)
                .map(i -> i >= 98 ? p99.toNanos() : 1_000_000)
                .toArray();
        return new ServerView(
                Latencies.of(new long[] {1_000_000}),
                Latencies.of(writes),
                50,
                2,
                Latencies.of(new long[] {longestWaitMillis * 1_000_000, 3_000_000}),
                0,
                Optional.empty(),
                1 << 20,
                Duration.ofMillis(190),
                12,
                WritesByStep.NONE);
    }
}
