package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
            MistakeGuardTest.create(db, DatabaseKind.POSTGRESQL);
            MistakeGuardTest.jobs(db, 1, 60, 40);
            MistakeGuardTest.jobs(db, 61, 40, 3);
            PolicySettings policy =
                    TestSettings.load(dir, MistakeGuardTest.POLICY).policies().get("jobs");
            PurgePlan plan;
            try (Connection c = db.connection()) {
                plan = new PurgePlanner(db.dialect()).plan(c, policy, MistakeGuardTest.NOW);
            }
            PurgePreview preview = new PurgePreview(db, false);
            StopSignal stop = new StopSignal();

            Optional<PolicyReport> stopped;
            // Polled from a session of its own: in a transaction, pg_stat_activity answers from one snapshot.
            try (Connection migration = db.connection();
                    Statement s = migration.createStatement();
                    Connection watching = db.connection();
                    Statement w = watching.createStatement()) {
                migration.setAutoCommit(false);
                s.execute("LOCK TABLE job IN ACCESS EXCLUSIVE MODE");
                CompletableFuture<Optional<PolicyReport>> previewing =
                        CompletableFuture.supplyAsync(() -> preview.previewUnlessStopped(plan, stop));
                awaitSessionsWaitingForALock(w, 1);
                stop.raise("the test");
                stopped = previewing.get(30, TimeUnit.SECONDS);
                assertEquals(0, sessionsWaitingForALock(w), "the count still waits in the server");
                migration.rollback();
            }

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
            MistakeGuardTest.create(db, DatabaseKind.POSTGRESQL);
            MistakeGuardTest.jobs(db, 1, 60, 40);
            MistakeGuardTest.jobs(db, 61, 40, 3);
            PolicySettings policy =
                    TestSettings.load(dir, MistakeGuardTest.POLICY).policies().get("jobs");
            PurgePlan plan;
            try (Connection c = db.connection()) {
                plan = new PurgePlanner(db.dialect()).plan(c, policy, MistakeGuardTest.NOW);
            }
            RunOptions waitingLong = new RunOptions(
                    Duration.ofMinutes(10), EngineFixture.options(true).batch(), true);
            StopSignal stop = new StopSignal();
            PurgeRunner runner = new PurgeRunner(db, waitingLong, stop);

            Optional<PolicyReport> stopped;
            try (Connection migration = db.connection();
                    Statement s = migration.createStatement();
                    Connection watching = db.connection();
                    Statement w = watching.createStatement()) {
                migration.setAutoCommit(false);
                s.execute("LOCK TABLE job IN ACCESS EXCLUSIVE MODE");
                CompletableFuture<Optional<PolicyReport>> running =
                        CompletableFuture.supplyAsync(() -> runner.runUnlessStopped(plan, PurgeProgress.NONE));
                awaitSessionsWaitingForALock(w, 1);
                stop.raise("the test");
                stopped = running.get(30, TimeUnit.SECONDS);
                assertEquals(0, sessionsWaitingForALock(w), "the measuring still waits in the server");
                migration.rollback();
            }

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

    private static void awaitSessionsWaitingForALock(Statement s, long sessions) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sessionsWaitingForALock(s) != sessions) {
            if (System.nanoTime() > deadline) {
                fail("no session of the dry run came to wait for the lock");
            }
            Thread.sleep(20);
        }
    }

    private static long sessionsWaitingForALock(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'runsweep'"
                + " AND datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
