package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.BatchSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.Backends;
import io.runsweep.sql.testing.LogCapture;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions that end or stall under a sweep, on a real PostgreSQL: the sweeping backend terminated (as a fast
 * shutdown or an operator's pg_terminate_backend ends it, SQL state 57P01), and a table locked by another
 * session before planning starts.
 */
@Timeout(120)
class ConnectionLossTest {
    static final PolicySettings POLICY = EngineFixture.policy(
            Duration.ofDays(30), List.of(), false, Strategy.INDEX, 100, new RunLimits(0, Duration.ZERO, 1.0));
    static final Clock CLOCK = Clock.fixed(EngineFixture.NOW, ZoneOffset.UTC);

    @Test
    void aSweepWhoseBackendIsTerminatedTwiceCarriesOnOnNewConnectionsAndLeavesNoDueRow() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options());
                LogCapture log = new LogCapture(PurgeRunner.class)) {
            fill(db, 20_000);
            long kept = count(db, "SELECT count(*) FROM run WHERE finished IS NULL OR finished >= ?");
            RunOptions options = new RunOptions(
                    Duration.ofSeconds(2),
                    new BatchSettings(Duration.ofMillis(10), Duration.ofMillis(10), 50, 200, 5, Duration.ofMillis(50)),
                    true);

            CompletableFuture<List<Integer>> terminated =
                    CompletableFuture.supplyAsync(() -> Backends.terminateWhileDeleting(url, 2));
            SweepReport report =
                    new Sweep(db, options, CLOCK, new StopSignal()).run(List.of(POLICY), false, PurgeProgress.NONE);
            List<Integer> pids = terminated.get(30, TimeUnit.SECONDS);

            assertEquals(2, pids.stream().distinct().count(), "two different sessions were terminated: " + pids);
            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED, report.policies().get(0).outcome(), report.toString());
            assertEquals(0, count(db, "SELECT count(*) FROM run WHERE finished < ?"), "every due row is gone");
            assertEquals(kept, count(db, "SELECT count(*) FROM run"), "every other row is kept");
            assertEquals(
                    0,
                    count(
                            db,
                            "SELECT count(*) FROM run_log l WHERE NOT EXISTS (SELECT 1 FROM run r WHERE r.id ="
                                    + " l.run_id) AND ? IS NOT NULL"),
                    "the deleted runs' log lines went with them");
            List<String> retries = log.lines().stream()
                    .filter(l -> l.startsWith("WARN runs - batch failed: lost its connection (SQL State 57P01"))
                    .toList();
            assertEquals(2, retries.size(), log.lines().toString());
            retries.forEach(line -> assertTrue(
                    line.contains("terminating connection due to administrator command")
                            && line.matches(".*; retry [12] of 5 in \\d+ ms"),
                    line));
        }
    }

    @Test
    void aSweepWhoseSessionsAreTerminatedBeforeItCountsWhatIsLeftCountsOnANewConnectionAndSucceeds() throws Exception {
        String url = TestPostgres.newDatabase();
        PolicySettings byRanges = blockRange(100);
        // One connection, so that each termination costs exactly one retry: a second, left idle in the pool by the
        // count beside the batches, would be terminated too, and found dead only when next taken.
        try (Database db = Databases.open(
                        DatabaseUrl.parse(url), TestDatabases.options().withPoolSize(1));
                LogCapture log = new LogCapture(PurgeRunner.class)) {
            fill(db, 5_000);
            long due = count(db, "SELECT count(*) FROM run WHERE finished < ?");
            long kept = count(db, "SELECT count(*) FROM run") - due;
            RunOptions options = fiveRetries(200, Duration.ofMillis(50));
            List<Integer> terminated = new ArrayList<>();
            PurgeProgress terminating = new PurgeProgress() {
                @Override
                public void batchCommitted(BatchEvent event) {
                    if (event.batches() == 1) {
                        // The server changes a due row the batches have not reached: they leave its new version.
                        assertEquals(
                                1,
                                update(
                                        url,
                                        "UPDATE run SET payload = 'changed' WHERE id = (SELECT max(id) FROM run"
                                                + " WHERE finished < ?)"));
                    }
                }

                @Override
                public void countingWhatIsLeft(String policy, String table) {
                    // As a restart of the server between the batches and the count would.
                    if (terminated.isEmpty()) {
                        terminated.addAll(terminateRunsweepSessions(url));
                    }
                }
            };

            SweepReport report =
                    new Sweep(db, options, CLOCK, new StopSignal()).run(List.of(byRanges), false, terminating);

            PolicyReport policy = report.policies().get(0);
            assertEquals(PolicyReport.Outcome.SUCCEEDED, policy.outcome(), report.toString());
            assertFalse(terminated.isEmpty(), "the sweep's session was terminated before its count");
            assertEquals(0, count(db, "SELECT count(*) FROM run WHERE finished < ?"), "every due row is gone");
            assertEquals(kept, count(db, "SELECT count(*) FROM run"), "every other row is kept");
            assertEquals(due, policy.tables().get(0).rows(), "the report counts every row deleted");
            assertEquals(
                    List.of(
                            "1 matching row was left after the batches; a pass by index followed",
                            "1 read between batches was retried after a passing failure"),
                    policy.notes().subList(1, policy.notes().size()),
                    "after the strategy's note: " + policy.notes());
            List<String> retries =
                    log.lines().stream().filter(l -> l.contains("failed")).toList();
            assertEquals(1, retries.size(), log.lines().toString());
            assertTrue(
                    retries.get(0)
                            .matches("WARN runs - counting the rows left failed: lost its connection \\(SQL State"
                                    + " 57P01, .*terminating connection due to administrator command.*\\); retry 1 of"
                                    + " 5 in \\d+ ms"),
                    retries.get(0));
        }
    }

    @Test
    void aSweepWhoseSessionsAreTerminatedAfterEveryBatchReadsOnANewConnectionAndSucceeds() throws Exception {
        String url = TestPostgres.newDatabase();
        PolicySettings byRanges = blockRange(500);
        // One connection, so that each termination costs exactly one retry: a second, left idle in the pool by the
        // count beside the batches, would be terminated too, and found dead only when next taken.
        try (Database db = Databases.open(
                        DatabaseUrl.parse(url), TestDatabases.options().withPoolSize(1));
                LogCapture log = new LogCapture(PurgeRunner.class)) {
            fill(db, 5_000);
            long due = count(db, "SELECT count(*) FROM run WHERE finished < ?");
            long kept = count(db, "SELECT count(*) FROM run") - due;
            RunOptions options = fiveRetries(2000, Duration.ofMillis(20));
            int[] batches = new int[1];
            // After every commit, as a server restarting between batches would: the next batch and, after the last
            // (which took every row counted before the first, so that the table's end is not read again), the read
            // that proves none escaped them find their session gone.
            PurgeProgress terminating = event -> {
                batches[0] = event.batches();
                assertFalse(terminateRunsweepSessions(url).isEmpty(), "a session was terminated");
            };

            SweepReport report =
                    new Sweep(db, options, CLOCK, new StopSignal()).run(List.of(byRanges), false, terminating);

            PolicyReport policy = report.policies().get(0);
            assertEquals(PolicyReport.Outcome.SUCCEEDED, policy.outcome(), report.toString());
            assertEquals(0, count(db, "SELECT count(*) FROM run WHERE finished < ?"), "every due row is gone");
            assertEquals(kept, count(db, "SELECT count(*) FROM run"), "every other row is kept");
            assertEquals(due, policy.tables().get(0).rows(), "the report counts every row deleted");
            assertTrue(batches[0] > 1, "more than one batch: " + batches[0]);
            List<String> failed =
                    log.lines().stream().filter(l -> l.contains("failed")).toList();
            String lost =
                    " failed: lost its connection \\(SQL State 57P01, .*terminating connection due to administrator"
                            + " command.*\\); retry 1 of 5 in \\d+ ms";
            assertEquals(
                    batches[0] - 1,
                    failed.stream()
                            .filter(l -> l.matches("WARN runs - batch" + lost))
                            .count(),
                    "every batch but the first lost its session once: " + failed);
            assertEquals(
                    1,
                    failed.stream()
                            .filter(l ->
                                    l.matches("WARN runs - reading how many transactions began during the run" + lost))
                            .count(),
                    failed.toString());
            assertEquals(batches[0], failed.size(), failed.toString());
            assertTrue(
                    policy.notes().contains("1 read between batches was retried after a passing failure"),
                    policy.notes().toString());
        }
    }

    @Test
    void planningBehindAnExclusiveLockGivesUpNamingTheTableAndWhoHoldsIt() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(
                        DatabaseUrl.parse(url), TestDatabases.options().withLockTimeout(Duration.ofMillis(200)));
                LogCapture log = new LogCapture(Sweep.class)) {
            fill(db, 100);
            RunOptions options = new RunOptions(
                    Duration.ofMillis(200),
                    new BatchSettings(Duration.ofMillis(200), Duration.ZERO, 10, 1000, 1, Duration.ofMillis(10)),
                    true);
            Properties holderProperties = new Properties();
            holderProperties.setProperty("user", "postgres");
            holderProperties.setProperty("ApplicationName", "the-application");
            try (Connection holder = DriverManager.getConnection(url, holderProperties);
                    Statement s = holder.createStatement()) {
                int pid = pid(holder);
                holder.setAutoCommit(false);
                s.execute("LOCK TABLE run IN ACCESS EXCLUSIVE MODE");

                SweepReport report =
                        new Sweep(db, options, CLOCK, new StopSignal()).run(List.of(POLICY), false, PurgeProgress.NONE);
                holder.rollback();

                PolicyReport failed = report.policies().get(0);
                assertEquals(PolicyReport.Outcome.FAILED, failed.outcome());
                String error = failed.error().orElseThrow();
                assertTrue(
                        error.startsWith("could not plan it (test.conf: 1): SQL State 55P03, error code 0: ERROR:"
                                + " canceling"
                                + " statement due to lock timeout"),
                        error);
                assertTrue(
                        error.matches(".*; \"run\" is locked by pid " + pid + " \\(user postgres, application"
                                + " \"the-application\", idle in transaction for \\d+ s, AccessExclusiveLock; its"
                                + " statement: LOCK TABLE run IN ACCESS EXCLUSIVE MODE\\)"),
                        error);
                assertEquals(
                        1,
                        log.lines().stream()
                                .filter(l -> l.startsWith("WARN runs - planning failed: SQL State 55P03")
                                        && l.matches(".*; retry 1 of 1 in \\d+ ms"))
                                .count(),
                        log.lines().toString());
            }
        }
    }

    /** A pool of one: the count runs before the first batch, on the run's own connection. */
    @Test
    void aSweepWhoseSessionIsTerminatedAsItCountsTheMatchingRowsCountsOnANewConnectionAndNeedsNoCountAfter()
            throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(
                        DatabaseUrl.parse(url), TestDatabases.options().withPoolSize(1));
                LogCapture log = new LogCapture(PurgeRunner.class)) {
            fill(db, 5_000);
            long due = count(db, "SELECT count(*) FROM run WHERE finished < ?");
            long kept = count(db, "SELECT count(*) FROM run") - due;
            List<Integer> terminated = new ArrayList<>();
            List<String> countsAfter = new ArrayList<>();
            PurgeProgress terminating = new PurgeProgress() {
                @Override
                public void batchCommitted(BatchEvent event) {}

                @Override
                public void countingBeforeFirstBatch(String policy, String table) {
                    if (terminated.isEmpty()) {
                        terminated.addAll(terminateRunsweepSessions(url));
                    }
                }

                @Override
                public void countingWhatIsLeft(String policy, String table) {
                    countsAfter.add(table);
                }
            };

            SweepReport report = new Sweep(db, fiveRetries(200, Duration.ofMillis(50)), CLOCK, new StopSignal())
                    .run(List.of(blockRange(100)), false, terminating);

            PolicyReport policy = report.policies().get(0);
            assertEquals(PolicyReport.Outcome.SUCCEEDED, policy.outcome(), report.toString());
            assertFalse(terminated.isEmpty(), "the sweep's session was terminated as it counted");
            assertEquals(0, count(db, "SELECT count(*) FROM run WHERE finished < ?"), "every due row is gone");
            assertEquals(kept, count(db, "SELECT count(*) FROM run"), "every other row is kept");
            assertEquals(due, policy.tables().get(0).rows(), "the report counts every row deleted");
            assertEquals(List.of(), countsAfter, "the batches took every row counted: no count after them");
            List<String> retries =
                    log.lines().stream().filter(l -> l.contains("failed")).toList();
            assertEquals(1, retries.size(), log.lines().toString());
            assertTrue(
                    retries.get(0)
                            .matches("WARN runs - counting the rows that match before the first batch failed: lost its"
                                    + " connection \\(SQL State 57P01, .*terminating connection due to administrator"
                                    + " command.*\\); retry 1 of 5 in \\d+ ms"),
                    retries.get(0));
        }
    }

    /**
     * An UPDATE whose one parameter is the policy's cutoff, on a session of the application's own (not Runsweep's);
     * the rows it changed.
     */
    private static int update(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, EngineFixture.NOW.minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC));
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs older than 30 days, swept by block ranges from batches of {@code batchSize}. */
    private static PolicySettings blockRange(int batchSize) {
        return EngineFixture.policy(
                Duration.ofDays(30),
                List.of(),
                false,
                Strategy.BLOCK_RANGE,
                batchSize,
                new RunLimits(0, Duration.ZERO, 1.0));
    }

    /** Batches of 50 to {@code maxSize} rows aiming at 10 ms, each failure retried up to five times. */
    /**
     * The count beside the batches loses its session while it waits for a lock the application holds: the batches
     * carry on, and the rows left are counted after them instead.
     */
    @Test
    void aCountBesideTheBatchesWhoseSessionIsTerminatedLeavesTheRowsLeftToTheCountAfterThem() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options());
                Connection application = DriverManager.getConnection(url, "postgres", "")) {
            fill(db, 5_000);
            long due = count(db, "SELECT count(*) FROM run WHERE finished < ?");
            long kept = count(db, "SELECT count(*) FROM run") - due;
            application.setAutoCommit(false);
            List<String> countsAfter = new ArrayList<>();
            List<CompletableFuture<List<Integer>>> terminating = new ArrayList<>();
            PurgeProgress progress = new PurgeProgress() {
                @Override
                public void batchCommitted(BatchEvent event) {}

                @Override
                public void countingBesideBatches(String policy, String table) {
                    // The snapshot is taken; the count will wait for this lock, and lose its session there.
                    try (Statement s = application.createStatement()) {
                        s.execute("LOCK TABLE run IN ACCESS EXCLUSIVE MODE");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    terminating.add(CompletableFuture.supplyAsync(() -> {
                        List<Integer> pids = Backends.terminateWhileWaiting(url, "SELECT count(*), pg_snapshot_xmin%");
                        try {
                            application.rollback();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        return pids;
                    }));
                }

                @Override
                public void countingWhatIsLeft(String policy, String table) {
                    countsAfter.add(table);
                }
            };

            SweepReport report = new Sweep(db, fiveRetries(200, Duration.ofMillis(50)), CLOCK, new StopSignal())
                    .run(List.of(blockRange(100)), false, progress);

            PolicyReport policy = report.policies().get(0);
            assertEquals(PolicyReport.Outcome.SUCCEEDED, policy.outcome(), report.toString());
            assertEquals(1, terminating.get(0).get(1, TimeUnit.MINUTES).size(), "the count's session was terminated");
            assertEquals(0, count(db, "SELECT count(*) FROM run WHERE finished < ?"), "every due row is gone");
            assertEquals(kept, count(db, "SELECT count(*) FROM run"), "every other row is kept");
            assertEquals(due, policy.tables().get(0).rows(), "the report counts every row deleted");
            assertEquals(List.of("run"), countsAfter, "the count after the batches, in its place");
            assertTrue(
                    policy.notes()
                            .contains("the count before the first batch, made beside the batches, failed; the rows"
                                    + " left were counted after them instead"),
                    policy.notes().toString());
        }
    }

    private static RunOptions fiveRetries(int maxSize, Duration backoff) {
        return new RunOptions(
                Duration.ofSeconds(2),
                new BatchSettings(Duration.ofMillis(10), Duration.ZERO, 50, maxSize, 5, backoff),
                true);
    }

    private static void fill(Database db, int rows) throws Exception {
        try (Connection c = db.connection()) {
            EngineFixture.create(c, DatabaseKind.POSTGRESQL);
            EngineFixture.fill(c, DatabaseKind.POSTGRESQL, rows, 11);
        }
    }

    /** A count whose one parameter is the policy's cutoff. */
    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement(sql)) {
            if (sql.contains("?")) {
                s.setObject(1, EngineFixture.NOW.minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Ends every session of Runsweep's on the database, waiting until each is gone; returns their pids. */
    private static List<Integer> terminateRunsweepSessions(String url) {
        List<Integer> pids = new ArrayList<>();
        try (Connection admin = DriverManager.getConnection(url, "postgres", "");
                Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid, pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
                        + " WHERE application_name = 'runsweep' AND datname = current_database()")) {
            while (rs.next()) {
                assertTrue(rs.getBoolean(2), "session " + rs.getInt(1) + " ended");
                pids.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    private static int pid(Connection c) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
