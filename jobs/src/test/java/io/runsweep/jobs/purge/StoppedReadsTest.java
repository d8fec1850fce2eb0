package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads stopped while they wait (for a lock here; on a large table, for a count itself): a dry run's preview, and a
 * real run's measuring before its first batch. The stop cancels the statement in the server, and each answers at once
 * that it was stopped, neither waiting the read out nor calling the cancellation a failure of the database.
 */
class StoppedReadsTest {
    @TempDir
    Path dir;

    @Test
    void aStopCancelsTheCountTheDryRunWaitsOn() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PurgePlan plan = planned(db);
            PurgePreview preview = new PurgePreview(db, false);
            StopSignal stop = new StopSignal();

            Optional<PolicyReport> stopped =
                    stoppedWhileWaitingForALock(db, stop, () -> preview.previewUnlessStopped(plan, stop));

            assertEquals(Optional.empty(), stopped);
            PolicyReport unstopped =
                    preview.previewUnlessStopped(plan, new StopSignal()).orElseThrow();
            assertEquals(
                    PolicyReport.Outcome.PREVIEWED,
                    unstopped.outcome(),
                    unstopped.error().orElse(""));
            assertEquals(60, unstopped.rows("job"));
            assertFalse(
                    preview.previewUnlessStopped(plan, stop).isPresent(), "a preview begun after the stop is not run");
        }
    }

    @Test
    void aStopCancelsTheMeasuringBeforeARealRunsFirstBatch() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PurgePlan plan = planned(db);
            RunOptions waitingLong = new RunOptions(
                    Duration.ofMinutes(10), EngineFixture.options(true).batch(), true);
            StopSignal stop = new StopSignal();
            PurgeRunner runner = new PurgeRunner(db, waitingLong, stop);

            Optional<PolicyReport> stopped =
                    stoppedWhileWaitingForALock(db, stop, () -> runner.runUnlessStopped(plan, PurgeProgress.NONE));

            assertEquals(Optional.empty(), stopped);
            assertEquals(
                    "stopped by the test before its first batch, so nothing was deleted",
                    runner.run(plan, PurgeProgress.NONE).error().orElseThrow());
            try (Connection c = db.connection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM job")) {
                rs.next();
                assertEquals(100, rs.getLong(1));
            }
        }
    }

    /** 100 jobs, 60 of them past the policy's 30 days, and the policy planned. */
    private PurgePlan planned(Database db) throws Exception {
        MistakeGuardTest.create(db, DatabaseKind.POSTGRESQL);
        MistakeGuardTest.jobs(db, 1, 60, 40);
        MistakeGuardTest.jobs(db, 61, 40, 3);
        PolicySettings policy =
                TestSettings.load(dir, MistakeGuardTest.POLICY).policies().get("jobs");
        try (Connection c = db.connection()) {
            return new PurgePlanner(db.dialect()).plan(c, policy, MistakeGuardTest.NOW);
        }
    }

    /**
     * Starts {@code read} while a migration holds the policy's table, raises {@code stop} once the read waits for it,
     * and returns what the read answered; fails if it is still waiting in the server.
     */
    private static Optional<PolicyReport> stoppedWhileWaitingForALock(
            Database db, StopSignal stop, Supplier<Optional<PolicyReport>> read) throws Exception {
        // Polled from a session of its own: in a transaction, pg_stat_activity answers from one snapshot.
        try (Connection migration = db.connection();
                Statement s = migration.createStatement();
                Connection watching = db.connection();
                Statement w = watching.createStatement()) {
            migration.setAutoCommit(false);
            s.execute("LOCK TABLE job IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Optional<PolicyReport>> reading = CompletableFuture.supplyAsync(read);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (TestPostgres.runsweepSessionsWaitingForALock(w) != 1) {
                if (System.nanoTime() > deadline) {
                    fail("the read never came to wait for the lock");
                }
                Thread.sleep(20);
            }
            stop.raise("the test");
            Optional<PolicyReport> answered = reading.get(30, TimeUnit.SECONDS);
            assertEquals(0, TestPostgres.runsweepSessionsWaitingForALock(w), "the read still waits in the server");
            migration.rollback();
            return answered;
        }
    }
}
