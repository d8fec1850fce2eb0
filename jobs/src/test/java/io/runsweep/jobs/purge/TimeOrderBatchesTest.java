package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.BatchSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.KeysetBatch;
import io.runsweep.sql.Queries;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL index batches in order of the time column: each takes the times from where the last one ended, so no
 * batch reads the pages of rows earlier ones deleted. Rows sharing one time beyond a batch, and rows that change
 * to match behind the batches, still all go; nothing the policy does not cover does.
 */
class TimeOrderBatchesTest {
    @TempDir
    Path dir;

    /**
     * The engine's tables, with 20,000 runs a minute apart, except those from {@code tiesFrom} on, which all ended
     * at one instant 20 days ago.
     */
    private static void seed(Connection c, int tiesFrom) throws Exception {
        EngineFixture.create(c, DatabaseKind.POSTGRESQL);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO run SELECT i, CASE WHEN i < " + tiesFrom + " THEN timestamptz '" + EngineFixture.NOW
                    + "' - i * interval '1 minute' ELSE timestamptz '" + EngineFixture.NOW + "' - interval '20 days'"
                    + " END, i % 5, NULL, 'payload ' || i FROM generate_series(1, 20000) i");
            s.execute("INSERT INTO run_log SELECT 2 * i + j, i, 'line' FROM generate_series(1, 20000) i,"
                    + " generate_series(0, 1) j");
            s.execute("ANALYZE run");
            s.execute("ANALYZE run_log");
        }
    }

    private static PurgePlan plan(Database db) throws SQLException {
        try (Connection c = db.connection()) {
            return new PurgePlanner(db.dialect()).plan(c, policy(), EngineFixture.NOW);
        }
    }

    private static PolicySettings policy() {
        return EngineFixture.policy(
                Duration.ofDays(7), List.of(), false, Strategy.INDEX, 50, new RunLimits(0, Duration.ZERO, 1.0));
    }

    /** Batches of at most 1,000 rows: the 6,000 that share one time cannot fit in one. */
    private static RunOptions options() {
        return new RunOptions(
                Duration.ofMillis(300),
                new BatchSettings(Duration.ofMillis(20), Duration.ZERO, 10, 1000, 5, Duration.ofMillis(50)),
                true);
    }

    @Test
    void batchesInTimeOrderTakeEveryOldRowAndItsDependentsThroughTiesLargerThanABatch() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = db.connection()) {
                seed(c, 14_001);
            }
            PurgePlan plan = plan(db);
            assertTrue(plan.keyset().isPresent(), plan.strategyReason());
            List<String> purposes = new PurgePreview(db, true)
                    .preview(plan).statements().stream()
                            .map(PolicyReport.PlannedStatement::purpose)
                            .toList();
            assertTrue(
                    purposes.get(0).startsWith("in a snapshot taken before the first batch, count"), purposes.get(0));
            assertTrue(purposes.get(1).startsWith("find where the next batch of up to 50 rows"), purposes.toString());
            assertTrue(purposes.get(2).startsWith("delete the rows from where the last batch ended"), purposes.get(2));
            assertTrue(purposes.get(3).startsWith("when more than a batch's rows share that time"), purposes.get(3));

            PolicyReport report = new PurgeRunner(db, options(), new StopSignal()).run(plan, event -> {});

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            // Runs 10,081 to 20,000 ended more than 7 days (10,080 minutes) before NOW.
            assertEquals(9_920, report.tables().get(0).rows());
            assertEquals(19_840, report.tables().get(1).rows());
            assertEquals(
                    List.of(),
                    report.notes().stream()
                            .filter(n -> n.contains("left after"))
                            .toList());
            try (Connection c = db.connection()) {
                assertEquals(
                        "10080:1:10080",
                        Queries.single(c, "SELECT count(*) || ':' || min(id) || ':' || max(id)" + " FROM run"));
                assertEquals("20160", Queries.single(c, "SELECT count(*) FROM run_log"));
                assertEquals("0", Queries.single(c, "SELECT count(*) FROM run_log WHERE run_id > 10080"));
            }
        }
    }

    /** Runs {@code plan} while the application, after the first batch, rewrites run {@code id} as ended 30 days ago. */
    private static PolicyReport runMovingBack(Database db, PurgePlan plan, long id) {
        AtomicBoolean moved = new AtomicBoolean();
        PurgeProgress application = event -> {
            if (moved.compareAndSet(false, true)) {
                try (Connection c = db.connection();
                        Statement s = c.createStatement()) {
                    s.execute("UPDATE run SET finished = timestamptz '" + EngineFixture.NOW
                            + "' - interval '30 days' WHERE id = " + id);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return new PurgeRunner(db, options(), new StopSignal()).run(plan, application);
    }

    /** The runs left: how many, the least id and the greatest, as {@code count:min:max}. */
    private static String runsLeft(Database db) throws SQLException {
        try (Connection c = db.connection()) {
            return Queries.single(c, "SELECT count(*) || ':' || min(id) || ':' || max(id) FROM run");
        }
    }

    @Test
    void aCountedRowThatChangesBehindTheBatchesIsTakenByTheFinalPass() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = db.connection()) {
                seed(c, 20_001);
            }
            // Run 10,081, the youngest old run, counted before the first batch, is rewritten as ended 30 days ago:
            // earlier than any other, behind where the batches have reached. Its new version is not the one counted,
            // so the batches took one row fewer than they counted, and the count after them finds it.
            PurgePlan plan = plan(db);
            assertTrue(plan.countsAtStart(), plan.strategyReason());

            PolicyReport report = runMovingBack(db, plan, 10_081);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(
                    List.of("1 matching row was left after the batches; a pass by index followed"), report.runNotes());
            assertEquals(9_920, report.tables().get(0).rows());
            assertEquals("10080:1:10080", runsLeft(db));
        }
    }

    @Test
    void aYoungRowThatComesToMatchAfterTheStartIsLeftForTheNextRun() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = db.connection()) {
                seed(c, 20_001);
            }
            // Run 7 ended 7 minutes before the run began; the application rewrites it as ended 30 days ago. It did
            // not match when the run began, so the run leaves it, as one DELETE begun then would; the batches took
            // every row they counted, so nothing is counted after them.
            PolicyReport report = runMovingBack(db, plan(db), 7);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(List.of(), report.runNotes());
            assertEquals(9_920, report.tables().get(0).rows());
            assertEquals("10080:1:10080", runsLeft(db));
            try (Connection c = db.connection()) {
                assertEquals(
                        "1",
                        Queries.single(
                                c,
                                "SELECT count(*) FROM run WHERE finished < timestamptz '" + EngineFixture.NOW
                                        + "' - interval '7 days'"));
            }
        }
    }

    @Test
    void theBoundsTravelAsIsoTextInUtcWhateverTheSessionsTimeZone() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir);
                Connection c = db.connection()) {
            seed(c, 20_001);
            try (Statement s = c.createStatement()) {
                // pgjdbc keeps DateStyle ISO, but the session's TimeZone is the JVM's, or what a role or database sets.
                s.execute("SET TimeZone = 'Europe/Dublin'");
            }
            KeysetBatch keyset = new PurgePlanner(db.dialect())
                    .plan(c, policy(), EngineFixture.NOW)
                    .keyset()
                    .orElseThrow();

            String end;
            try (PreparedStatement s = keyset.end().prepare(c, BatchValues.fromTime(keyset.first(), 50));
                    ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                end = rs.getString(1);
            }

            // The 50 oldest are runs 20,000 down to 19,951; the row after them is run 19,950, 19,950 minutes old.
            assertEquals("2026-05-18T03:30:00.000000", end);
            c.setAutoCommit(false);
            // The policy has a dependent, so the delete returns the keys of the rows it took; it takes only the row
            // versions written before the count at the start, a snapshot taken now here.
            BatchValues times = BatchValues.betweenTimes(keyset.first(), end)
                    .withStartXid(db.dialect().startXidNow(c));
            try (PreparedStatement s = keyset.delete().prepare(c, times);
                    ResultSet rs = s.executeQuery()) {
                int deleted = 0;
                while (rs.next()) {
                    deleted++;
                }
                assertEquals(50, deleted);
            }
            // Exactly those 50: the old runs left are 10,081 to 19,950.
            assertEquals(
                    "9870:10081:19950",
                    Queries.single(
                            c, "SELECT count(*) || ':' || min(id) || ':' || max(id)" + " FROM run WHERE id > 10080"));
            c.rollback();
        }
    }

    @Test
    void onlyATimestampColumnWhoseIndexReadsItInOrderGetsThem() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = db.connection()) {
                seed(c, 14_001);
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE run ADD COLUMN finished_on date");
                    s.execute("UPDATE run SET finished_on = finished::date");
                    s.execute("CREATE INDEX ix_run_finished_on ON run (finished_on)");
                    s.execute("ANALYZE run");
                }
            }
            PurgePlanner planner = new PurgePlanner(db.dialect());
            PolicySettings onDate = new PolicySettings(
                    "runs",
                    "run",
                    "finished_on",
                    java.util.Optional.empty(),
                    Duration.ofDays(7),
                    java.util.Optional.empty(),
                    List.of(),
                    List.of(),
                    java.util.Optional.empty(),
                    List.of(),
                    50,
                    new RunLimits(0, Duration.ZERO, 1.0),
                    Strategy.INDEX,
                    true,
                    "0 0 * * * ?",
                    "test.conf: 1");
            try (Connection c = db.connection()) {
                assertTrue(planner.plan(c, policy(), EngineFixture.NOW).keyset().isPresent());
                assertFalse(planner.plan(c, onDate, EngineFixture.NOW).keyset().isPresent(), "a date: ties");
                try (Statement s = c.createStatement()) {
                    s.execute("DROP INDEX ix_run_finished");
                }
                assertFalse(
                        planner.plan(c, policy(), EngineFixture.NOW).keyset().isPresent(),
                        "no index reads the times in order: each batch would sort every matching row");
            }
        }
    }
}
