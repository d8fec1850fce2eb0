package io.runsweep.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.DatabaseKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Issue 3's targets judged from given numbers: the verdicts and the numbers they quote. */
class TargetsTest {
    static final RowDigest LEFT = RowDigest.EMPTY.plus("a").plus("b");

    @Test
    void postgresBacklogQuotesRatioSpeedUpAndLongestTransaction() {
        ScenarioResult result = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.BACKLOG,
                method(Method.ONE_DELETE, 1450, 1450, 1),
                method(Method.ID_IN_LOOP, 4900, 95, 71),
                method(Method.ENGINE, 1600, 510, 12));

        assertEquals(
                List.of(
                        new TargetCheck("runsweep engine at most 1.10x one DELETE", false, "1.103x (1.60 s vs 1.45 s)"),
                        new TargetCheck(
                                "runsweep engine at least 3x faster than the Id IN loop",
                                true,
                                "3.063x faster (1.60 s vs 4.90 s)"),
                        new TargetCheck(
                                "no runsweep engine transaction longer than 0.5 s",
                                false,
                                "longest 510 ms, transaction 12 of 12")),
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
                        "2.727x, +38 ms (60 ms vs 22 ms)")),
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
                        "1.750x, +300 ms (700 ms vs 400 ms)")),
                tooSlow.targets());
    }

    @Test
    void sqliteBacklogJudgesTheWriterDuringTheEngineOnly() {
        ScenarioResult result = scenario(
                DatabaseKind.SQLITE,
                Scenario.BACKLOG,
                withWriter(method(Method.ONE_DELETE, 10_000, 10_000, 1), 5000, 2, 400),
                withWriter(method(Method.ID_IN_LOOP, 9_000, 900, 10), 900, 0, 600),
                withWriter(method(Method.ENGINE, 12_000, 120, 100), 80, 0, 1200));

        assertEquals(
                List.of(
                        new TargetCheck(
                                "runsweep engine at most 1.30x one DELETE", true, "1.200x (12.00 s vs 10.00 s)"),
                        new TargetCheck(
                                "the writer never waits more than 250 ms during the runsweep engine",
                                true,
                                "longest wait 80 ms"),
                        new TargetCheck(
                                "the writer never fails during the runsweep engine",
                                true,
                                "0 failures in 1200 inserts")),
                result.targets());
    }

    @Test
    void aFailedEngineMissesWithItsError() {
        MethodResult failed = MethodResult.single(
                Method.ENGINE,
                Duration.ofMillis(5),
                0,
                0,
                new MethodResult.Longest(Duration.ZERO, 0),
                LEFT,
                Optional.of("delete batch failed"),
                Optional.empty(),
                Optional.empty());
        ScenarioResult result = scenario(
                DatabaseKind.POSTGRESQL,
                Scenario.BACKLOG,
                method(Method.ONE_DELETE, 10, 10, 1),
                method(Method.ID_IN_LOOP, 20, 10, 2),
                failed);

        assertEquals(
                List.of(new TargetCheck("runsweep engine completes", false, "it failed: delete batch failed")),
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
                new MethodResult.Longest(Duration.ofMillis(5), 2),
                RowDigest.EMPTY.plus("a").plus("c"),
                Optional.empty(),
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

    /** Five rows, three expiring, two left ("a" and "b"). */
    private static ScenarioResult scenario(DatabaseKind kind, Scenario scenario, MethodResult... methods) {
        return new ScenarioResult(kind, "server", scenario, "t", 5, 8192, 3, List.of(methods));
    }

    private static MethodResult method(Method method, long millis, long longestMillis, int transactions) {
        return MethodResult.single(
                method,
                Duration.ofMillis(millis),
                3,
                transactions,
                new MethodResult.Longest(Duration.ofMillis(longestMillis), transactions),
                LEFT,
                Optional.empty(),
                Optional.empty(),
                Optional.of(new HeapPeak(1 << 19, 1 << 20, OptionalLong.empty(), 0, 0)));
    }

    private static MethodResult withWriter(MethodResult result, long waitMillis, long failures, long inserts) {
        return result.with(
                Optional.of(new WriterStats(inserts, failures, Duration.ofMillis(waitMillis), Optional.empty())),
                result.heap());
    }
}
