package io.runsweep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.bench.measure.BenchPolicy;
import io.runsweep.bench.measure.EngineStep;
import io.runsweep.bench.measure.EngineSteps;
import io.runsweep.bench.measure.Measured;
import io.runsweep.bench.measure.Methods;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** When the engine reached each of its steps, as the bench reads them from its progress on a real server. */
class EngineStepsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void aRangeSweepCountsBesideItsBatchesAndTheStepsFollowEachOtherWithinTheRun() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE run (id bigserial PRIMARY KEY, ended timestamptz NOT NULL)");
            s.execute("INSERT INTO run (ended) SELECT timestamptz '2026-06-01T12:00:00Z' - d * interval '1 day'"
                    + " FROM generate_series(1, 1000) AS d");
            s.execute("CREATE INDEX ix_run_ended ON run (ended)");
            s.execute("VACUUM ANALYZE run");
        }
        BenchPolicy policy = new BenchPolicy("runs", "run", "ended", Duration.ofDays(30), Optional.empty(), List.of());

        Measured measured;
        try (Methods.Prepared prepared = Methods.engine(
                new SweepEngine(Optional.empty(), OptionalInt.empty(), true), DatabaseUrl.parse(url), policy, NOW)) {
            measured = prepared.run();
        }

        assertEquals(Optional.empty(), measured.error());
        assertEquals(970, measured.rowsDeleted());
        EngineSteps steps = measured.steps().orElseThrow();
        long started = measured.startedNanos();
        long ended = started + measured.time().toNanos();
        long countBegan = steps.countBesideBegan().orElseThrow();
        long countEnded = steps.countBesideEnded().orElseThrow();
        long firstBatch = steps.firstBatchBegan().orElseThrow();
        long lastBatch = steps.lastBatchEnded().orElseThrow();
        assertTrue(started <= countBegan && countBegan <= countEnded && countEnded <= ended, steps.toString());
        assertTrue(countBegan <= firstBatch && firstBatch <= lastBatch && lastBatch <= ended, steps.toString());
        assertEquals(EngineStep.BEFORE_FIRST_BATCH, steps.stepAt(started));
        assertEquals(EngineStep.BESIDE_COUNT, steps.stepAt(countBegan));
        // The count beside may outlast the last batch (the run then waits for it): until it ends, a write shared the
        // server with the count, and only after both with neither.
        assertEquals(
                countEnded > lastBatch ? EngineStep.BESIDE_COUNT : EngineStep.AFTER_LAST_BATCH,
                steps.stepAt(lastBatch + 1));
        assertEquals(EngineStep.AFTER_LAST_BATCH, steps.stepAt(Math.max(lastBatch, countEnded) + 1));
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM run")) {
            rs.next();
            assertEquals(30, rs.getLong(1));
        }
    }
}
