package io.runsweep.jobs.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.BatchSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.ThrottleSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application session that waits on a row a batch holds: the batch sees it before committing, and the next
 * batch is half as large and starts an interval later; with nobody waiting, batches keep their size.
 */
class LockWaitersThrottleTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aSessionWaitingOnTheBatchsLocksHalvesTheNextBatchAndDelaysIt() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            seed(database);
            List<Long> batches = new CopyOnWriteArrayList<>();
            List<PurgeProgress.ThrottleEvent> pauses = new CopyOnWriteArrayList<>();
            CompletableFuture<PolicyReport> run =
                    CompletableFuture.supplyAsync(() -> sweep(database, Optional.of(0), batches, pauses));
            // The application updates a row of the first batch while that batch is still open.
            awaitFirstBatchOpen(database);
            CompletableFuture<Integer> application = CompletableFuture.supplyAsync(() -> update(database, 1));

            PolicyReport report = run.get(60, TimeUnit.SECONDS);

            assertEquals(0, application.get(30, TimeUnit.SECONDS), "the row was gone once the batch committed");
            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            assertEquals(List.of(10L, 5L), batches.subList(0, 2), batches.toString());
            assertEquals(1, pauses.size(), pauses.toString());
            assertEquals("lock_waiters", pauses.get(0).reason());
            assertEquals(
                    "1 session waited on the batch's locks (more than max-lock-waiters 0)",
                    pauses.get(0).detail());
            assertTrue(pauses.get(0).waited().compareTo(Duration.ofMillis(500)) >= 0, pauses.toString());
            assertEquals(pauses.get(0).waited(), report.throttled());
        }
    }

    @Test
    void withNobodyWaitingBatchesKeepTheirSize() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            seed(database);
            List<Long> batches = new CopyOnWriteArrayList<>();
            List<PurgeProgress.ThrottleEvent> pauses = new CopyOnWriteArrayList<>();

            PolicyReport report = sweep(database, Optional.of(0), batches, pauses);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            assertEquals(List.of(10L, 10L), batches.subList(0, 2), batches.toString());
            assertEquals(List.of(), pauses);
            assertEquals(Duration.ZERO, report.throttled());
        }
    }

    private static void seed(Database database) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE run (id bigint PRIMARY KEY, finished timestamptz NOT NULL)");
            s.execute("INSERT INTO run SELECT g, timestamptz '2026-01-01' FROM generate_series(1, 40) g");
            // The first batch stays open a second, long enough for the application to queue behind it.
            s.execute("CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF (SELECT count(*) FROM run) = 30 THEN PERFORM pg_sleep(1); END IF; RETURN NULL; END $$");
            s.execute("CREATE TRIGGER slow AFTER DELETE ON run FOR EACH STATEMENT EXECUTE FUNCTION slow()");
        }
    }

    private static PolicyReport sweep(
            Database database,
            Optional<Integer> maxLockWaiters,
            List<Long> batches,
            List<PurgeProgress.ThrottleEvent> pauses) {
        PolicySettings policy = new PolicySettings(
                "runs",
                "run",
                "finished",
                Optional.empty(),
                Duration.ofDays(30),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                List.of(),
                10,
                new PolicySettings.RunLimits(0, Duration.ZERO, 1.0),
                PolicySettings.Strategy.INDEX,
                true,
                "0 0 * * * ?",
                "test.conf: 1");
        // A long target: batches would grow, but max-size holds them at 10 unless the throttle halves one.
        RunOptions options = new RunOptions(
                Duration.ofSeconds(5),
                new BatchSettings(Duration.ofSeconds(10), Duration.ZERO, 1, 10, 0, Duration.ofMillis(50)),
                // Every row of the table goes: the guard would refuse that as a likely mistake without it.
                true);
        ThrottleSettings throttle = new ThrottleSettings(
                Optional.empty(), List.of(), maxLockWaiters, Duration.ofMillis(600), Duration.ZERO);
        PurgeProgress progress = new PurgeProgress() {
            @Override
            public void batchCommitted(BatchEvent event) {
                batches.add(event.rows());
            }

            @Override
            public void throttled(ThrottleEvent event) {
                pauses.add(event);
            }
        };
        return new Sweep(database, options, Clock.fixed(NOW, ZoneOffset.UTC), new StopSignal())
                .withThrottle(throttle)
                .run(List.of(policy), false, progress)
                .policies()
                .get(0);
    }

    private static void awaitFirstBatchOpen(Database database) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'"
                            + " AND application_name = 'runsweep'")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the first batch never opened");
    }

    private static int update(Database database, long id) {
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            s.execute("SET application_name = 'prefect'");
            return s.executeUpdate("UPDATE run SET finished = finished WHERE id = " + id);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
