package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock held by another session makes batches give up after the lock or busy timeout and retry, instead
 * of waiting behind it; a lock that is never released fails the policy with a message that says so. The rows
 * are locked, not the table, so that what a run measures before its first batch still reads them; a table locked
 * whole (a migration's ALTER TABLE) stops the run before it deletes anything.
 */
class LockRetryTest {
    static final PolicySettings POLICY = EngineFixture.policy(
            Duration.ofDays(30), List.of(), false, Strategy.INDEX, 50, new RunLimits(0, Duration.ZERO, 1.0));

    @TempDir
    Path dir;

    @Test
    void postgresBatchesTimeOutBehindALockAndRetryUntilItIsReleased() throws Exception {
        try (Database db = Databases.open(DatabaseUrl.parse(TestPostgres.newDatabase()), TestDatabases.options())) {
            fill(db, DatabaseKind.POSTGRESQL);
            PurgePlan plan = plan(db);
            long matching = plan.matching().rows();
            try (Holder holder = Holder.hold(db, "SELECT id FROM run FOR UPDATE", 1200)) {
                PolicyReport report = new PurgeRunner(db, EngineFixture.options(false), new StopSignal())
                        .run(plan, PurgeProgress.NONE);
                assertEquals(
                        PolicyReport.Outcome.SUCCEEDED,
                        report.outcome(),
                        report.error().orElse(""));
                assertEquals(matching, report.rows("run"));
                assertTrue(
                        report.notes().stream()
                                .anyMatch(n ->
                                        n.matches("\\d+ batch(es were| was) retried after a" + " passing failure")),
                        report.notes().toString());
            }
        }
    }

    @Test
    void postgresPolicyFailsWhenTheLockOutlastsEveryRetry() throws Exception {
        try (Database db = Databases.open(DatabaseUrl.parse(TestPostgres.newDatabase()), TestDatabases.options())) {
            fill(db, DatabaseKind.POSTGRESQL);
            PurgePlan plan = plan(db);
            try (Holder holder = Holder.hold(db, "SELECT id FROM run FOR UPDATE", 60_000)) {
                PolicyReport report = new PurgeRunner(db, EngineFixture.options(false), new StopSignal())
                        .run(plan, PurgeProgress.NONE);
                assertEquals(PolicyReport.Outcome.FAILED, report.outcome());
                String error = report.error().orElseThrow();
                assertTrue(error.startsWith("delete batch failed after 6 attempts (table=\"run\", deleted=0, "), error);
                assertTrue(error.contains("SQL State 55P03"), error);
                assertTrue(error.contains("canceling statement due to lock timeout"), error);
            }
        }
    }

    @Test
    void postgresRunThatCannotReadTheLockedTableFailsBeforeDeletingAnything() throws Exception {
        try (Database db = Databases.open(DatabaseUrl.parse(TestPostgres.newDatabase()), TestDatabases.options())) {
            fill(db, DatabaseKind.POSTGRESQL);
            PurgePlan plan = plan(db);
            try (Holder holder = Holder.hold(db, "LOCK TABLE run IN ACCESS EXCLUSIVE MODE", 60_000)) {
                PolicyReport report = new PurgeRunner(db, EngineFixture.options(false), new StopSignal())
                        .run(plan, PurgeProgress.NONE);
                assertEquals(PolicyReport.Outcome.FAILED, report.outcome());
                String error = report.error().orElseThrow();
                assertTrue(
                        error.startsWith("could not measure what the run would delete, so nothing was deleted: SQL"
                                + " State 55P03"),
                        error);
                assertEquals(0, report.batches());
            }
            assertEquals(2000, EngineFixture.ids(db, "run").size());
        }
    }

    @Test
    void sqliteBatchesGiveUpOnTheBusyTimeoutAndRetryUntilTheWriterCommits() throws Exception {
        ConnectionOptions shortBusy =
                TestDatabases.options().withCreateIfMissing(true).withBusyTimeout(Duration.ofMillis(200));
        try (Database db = Databases.open(DatabaseUrl.ofSqliteFile(dir.resolve("runs.db")), shortBusy)) {
            fill(db, DatabaseKind.SQLITE);
            PurgePlan plan = plan(db);
            long matching = plan.matching().rows();
            try (Holder holder =
                    Holder.hold(db, "INSERT INTO run_log VALUES (999999, 1, 'writer holds the lock')", 900)) {
                PolicyReport report = new PurgeRunner(db, EngineFixture.options(false), new StopSignal())
                        .run(plan, PurgeProgress.NONE);
                assertEquals(
                        PolicyReport.Outcome.SUCCEEDED,
                        report.outcome(),
                        report.error().orElse(""));
                assertEquals(matching, report.rows("run"));
                assertTrue(
                        report.notes().stream().anyMatch(n -> n.contains("retried after a passing failure")),
                        report.notes().toString());
            }
        }
    }

    private static void fill(Database db, DatabaseKind kind) throws Exception {
        try (Connection c = db.connection()) {
            EngineFixture.create(c, kind);
            EngineFixture.fill(c, kind, 2000, 7);
        }
    }

    private static PurgePlan plan(Database db) throws Exception {
        try (Connection c = db.connection()) {
            return new PurgePlanner(db.dialect()).plan(c, POLICY, EngineFixture.NOW);
        }
    }

    /** Another session that takes a lock in an open transaction and keeps it for a while. */
    private static final class Holder implements AutoCloseable {
        private final Thread thread;
        private final CountDownLatch release = new CountDownLatch(1);

        private Holder(Thread thread) {
            this.thread = thread;
        }

        static Holder hold(Database db, String statement, long millis) throws Exception {
            CountDownLatch held = new CountDownLatch(1);
            Holder[] self = new Holder[1];
            Thread thread = new Thread(
                    () -> {
                        try (Connection c = db.connection();
                                Statement s = c.createStatement()) {
                            c.setAutoCommit(false);
                            s.execute(statement);
                            held.countDown();
                            self[0].release.await(millis, TimeUnit.MILLISECONDS);
                            c.commit();
                            c.setAutoCommit(true);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "lock-holder");
            self[0] = new Holder(thread);
            thread.start();
            assertTrue(held.await(10, TimeUnit.SECONDS), "the other session never took its lock");
            return self[0];
        }

        @Override
        public void close() throws InterruptedException {
            release.countDown();
            thread.join(10_000);
        }
    }
}
