package io.runsweep.jobs.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runsweep.config.BatchSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.ThrottleSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestReplication;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real streaming replica, made by the test with pg_basebackup, whose replay the test pauses: the sweep pauses
 * while the replica falls behind, and carries on and finishes once its replay resumes. The lag is read on the
 * primary (pg_stat_replication) or asked of the replica itself.
 */
class ReplicaLagThrottleTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final int ROWS = 200;

    @TempDir
    static Path dir;

    static TestReplication replication;

    @BeforeAll
    static void startReplica() throws Exception {
        assumeTrue(
                TestReplication.pgBasebackup().isPresent(),
                "skipped: no pg_basebackup of PostgreSQL 15 (Debian's postgresql-client-15; .ci/run installs it):"
                        + " the embedded binaries hold only initdb, pg_ctl and postgres");
        replication = TestReplication.start(dir);
    }

    @AfterAll
    static void stopReplica() throws Exception {
        if (replication != null) {
            replication.close();
        }
    }

    @BeforeEach
    void seed() throws Exception {
        // A test that failed while replay was paused must not leave the next one a replica that never catches up.
        try (Connection c = replica();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_resume()");
        }
        try (Connection c = primary();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS run");
            s.execute("CREATE TABLE run (id bigint PRIMARY KEY, finished timestamptz NOT NULL)");
            s.execute("INSERT INTO run SELECT g, timestamptz '2026-01-01' FROM generate_series(1, " + ROWS + ") g");
            // Each batch takes a while (20 batches, 5 s at least), so that the replica is seen more than 1 s
            // behind, its replies coming each second, while batches are still to come, however loaded the machine.
            s.execute("CREATE OR REPLACE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN PERFORM pg_sleep(0.25); RETURN NULL; END $$");
            s.execute("CREATE TRIGGER slow AFTER DELETE ON run FOR EACH STATEMENT EXECUTE FUNCTION slow()");
        }
        awaitReplica(ROWS);
    }

    @Test
    void aLaggingReplicaSeenOnThePrimaryPausesTheSweepAndItsResumptionFinishesIt() throws Exception {
        pausesAndResumes(List.of());
    }

    @Test
    void aLaggingReplicaAskedItselfPausesTheSweepAndItsResumptionFinishesIt() throws Exception {
        pausesAndResumes(List.of(replication.replica().getJdbcUrl("postgres", "postgres")));
    }

    private void pausesAndResumes(List<String> replicaUrls) throws Exception {
        ThrottleSettings throttle = new ThrottleSettings(
                Optional.of(Duration.ofSeconds(1)),
                replicaUrls,
                Optional.empty(),
                Duration.ofMillis(200),
                Duration.ZERO);
        List<PurgeProgress.ThrottleEvent> pauses = new CopyOnWriteArrayList<>();
        try (Database database = open();
                Connection replica = replica();
                Statement onReplica = replica.createStatement()) {
            onReplica.execute("SELECT pg_wal_replay_pause()");
            CompletableFuture<PolicyReport> run =
                    CompletableFuture.supplyAsync(() -> sweep(database, throttle, pauses));
            try {
                long stalled = awaitStall(run);
                assertTrue(stalled > 0 && stalled < ROWS, "paused part way: " + stalled + " rows left");
                Thread.sleep(2000);
                assertEquals(stalled, count(), "no batch while the replica lags");
            } finally {
                onReplica.execute("SELECT pg_wal_replay_resume()");
            }

            PolicyReport report = run.get(60, TimeUnit.SECONDS);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            assertEquals(Optional.empty(), report.stop());
            assertEquals(0, count(), "the sweep finished once the replica caught up");
            assertEquals(ROWS, report.rows("run"));
            assertTrue(
                    report.throttled().compareTo(Duration.ofSeconds(3)) >= 0,
                    report.throttled().toString());
            assertTrue(
                    !pauses.isEmpty()
                            && pauses.stream().allMatch(p -> p.reason().equals("replica_lag")),
                    pauses.toString());
            assertTrue(
                    pauses.get(0).detail().contains("above max-replica-lag 1.00 s"),
                    pauses.get(0).detail());
        }
    }

    @Test
    void aRoleThatCannotSeeTheReplicasLagFailsUntilGrantedWhatTheMessageSays() throws Exception {
        try (Connection c = primary();
                Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS sweeper");
            s.execute("CREATE ROLE sweeper LOGIN");
            s.execute("GRANT SELECT, DELETE ON run TO sweeper");
        }
        ThrottleSettings throttle = new ThrottleSettings(
                Optional.of(Duration.ofSeconds(30)),
                List.of(),
                Optional.empty(),
                Duration.ofMillis(200),
                Duration.ofMinutes(2));
        DatabaseUrl asSweeper = DatabaseUrl.parse(replication.primary().getJdbcUrl("sweeper", "postgres"));

        PolicyReport blind;
        try (Database database = Databases.open(asSweeper, TestDatabases.options())) {
            blind = sweep(database, throttle, new CopyOnWriteArrayList<>());
        }
        assertEquals(PolicyReport.Outcome.FAILED, blind.outcome());
        assertTrue(
                blind.error()
                        .orElseThrow()
                        .endsWith("runsweep.throttle.max-replica-lag: role \"sweeper\" cannot see the"
                                + " replicas' lag in pg_stat_replication; GRANT pg_read_all_stats TO \"sweeper\", or list the"
                                + " replicas in runsweep.throttle.replica-urls"),
                blind.error().orElseThrow());
        assertEquals(ROWS, count(), "nothing deleted blind");

        try (Connection c = primary();
                Statement s = c.createStatement()) {
            s.execute("GRANT pg_read_all_stats TO sweeper");
        }
        PolicyReport granted;
        try (Database database = Databases.open(asSweeper, TestDatabases.options())) {
            granted = sweep(database, throttle, new CopyOnWriteArrayList<>());
        }
        assertEquals(
                PolicyReport.Outcome.SUCCEEDED,
                granted.outcome(),
                granted.error().orElse(""));
        assertEquals(0, count());
    }

    private static PolicyReport sweep(
            Database database, ThrottleSettings throttle, List<PurgeProgress.ThrottleEvent> pauses) {
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
        RunOptions options = new RunOptions(
                Duration.ofSeconds(2),
                new BatchSettings(Duration.ofMillis(200), Duration.ZERO, 10, 10, 0, Duration.ofMillis(50)),
                // Every row of the table goes: the guard would refuse that as a likely mistake without it.
                true);
        PurgeProgress progress = new PurgeProgress() {
            @Override
            public void batchCommitted(BatchEvent event) {}

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

    /** Waits until the sweep has deleted some rows and then stopped deleting for two seconds; the rows left. */
    private static long awaitStall(CompletableFuture<PolicyReport> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = count();
        long since = System.nanoTime();
        while (System.nanoTime() < deadline && !run.isDone()) {
            Thread.sleep(100);
            long now = count();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (now < ROWS && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(2)) {
                return now;
            }
        }
        throw new AssertionError("the sweep never paused: " + (run.isDone() ? run.get() : last + " rows left"));
    }

    private static void awaitReplica(long rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Connection c = replica();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM run")) {
                rs.next();
                if (rs.getLong(1) == rows) {
                    return;
                }
            } catch (SQLException e) {
                // the table has not reached the replica yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the replica never caught up");
    }

    private static long count() throws SQLException {
        try (Connection c = primary();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM run")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Database open() {
        return Databases.open(
                DatabaseUrl.parse(replication.primary().getJdbcUrl("postgres", "postgres")), TestDatabases.options());
    }

    private static Connection primary() throws SQLException {
        return DriverManager.getConnection(replication.primary().getJdbcUrl("postgres", "postgres"));
    }

    private static Connection replica() throws SQLException {
        return DriverManager.getConnection(replication.replica().getJdbcUrl("postgres", "postgres"));
    }
}
