package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.BatchSettings;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** How far each range of a sweep on PostgreSQL reaches, on heaps where the expiring rows are not spread evenly. */
class RangeSizingTest {
    /**
     * Where rows are inserted as they end, the expiring ones fill the start of the table: the range that reaches
     * their end stops near it, and the batches end once they have taken as many rows as were counted before the
     * first, without reading the recent rest. The count is made before the first batch here (a pool of one), so that
     * it is known from the first batch on. The 20,000 recent rows, written after the last VACUUM, carry no hint that
     * their transaction committed until a scan reads them; the planner reads the newest of them, on the last page.
     */
    @Test
    void aRangeSweepEndsOnceItHasTakenEveryRowCountedBeforeItsFirstBatch() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            EngineFixture.create(c, DatabaseKind.POSTGRESQL);
            insertRuns(s, 1, 100_000, Duration.ofDays(60));
            s.execute("ALTER TABLE run SET (autovacuum_enabled = false)");
            s.execute("VACUUM ANALYZE run");
            insertRuns(s, 100_001, 120_000, Duration.ofDays(1));
            // Its commit on disk, so that a scan may mark the rows it reads as committed.
            s.execute("CHECKPOINT");
            // Every row the statistics know of matches, and the count before the first batch would read the whole
            // table, recent rows included; it reads the time index instead, as it does where fewer rows match.
            s.execute("ALTER DATABASE " + url.replaceAll(".*/(\\w+).*", "$1") + " SET enable_seqscan = off");
        }
        try (Database db =
                Databases.open(DatabaseUrl.parse(url), TestDatabases.options().withPoolSize(1))) {
            List<String> seen = new ArrayList<>();
            PurgeProgress progress = new PurgeProgress() {
                @Override
                public void batchCommitted(BatchEvent event) {
                    seen.add(String.valueOf(event.rows()));
                }

                @Override
                public void countingBeforeFirstBatch(String policy, String table) {
                    seen.add("counted before the first batch");
                }
            };

            // Batches grow eightfold each time: the one after 438 blocks would reach the table's end.
            PolicyReport report =
                    EngineFixture.run(db, EngineFixture.blockRange(), growingBatches(), new StopSignal(), progress);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(100_000, report.tables().get(0).rows());
            assertEquals("counted before the first batch", seen.get(0));
            List<String> batches = seen.subList(1, seen.size());
            assertFalse(batches.contains("0"), "a batch read only recent rows: " + batches);
            assertEquals(100_000, batches.stream().mapToLong(Long::parseLong).sum());
            assertEquals(List.of(), report.runNotes(), "none escaped: no pass after the batches");
            assertEquals(List.of(0L, 7_960L), rowsReadBeforeTheLastPage(db), "recent rows read, of those looked at");
            assertEquals(LongStream.rangeClosed(100_001, 120_000).boxed().toList(), EngineFixture.ids(db, "run"));
        }
    }

    /**
     * Expiring rows dense at the start of the table and sparse over the rest (one in a hundred, as space freed by
     * earlier sweeps gets reused): a range sized to the rows left at the start's density falls short, and the next
     * may cover twice as much more each time, so the sparse rows take a few batches, not one a sliver of the table.
     */
    @Test
    void expiringRowsLeftSparseOverTheRestOfTheTableTakeAFewMoreBatches() throws Exception {
        try (Database db = poolOfOne()) {
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                EngineFixture.create(c, DatabaseKind.POSTGRESQL);
                insertRuns(s, 1, 100_000, Duration.ofDays(60));
                s.execute("INSERT INTO run (id, finished, status, payload) SELECT g, timestamptz '"
                        + EngineFixture.cutoff().plus(Duration.ofDays(30))
                        + "' - CASE WHEN g % 100 = 0 THEN interval '60 days'"
                        + " ELSE interval '1 day' END, 2, rpad('run ' || g, 150, '.')"
                        + " FROM generate_series(100001, 120000) AS g");
                s.execute("VACUUM ANALYZE run");
            }
            List<Long> perBatch = new ArrayList<>();
            PolicyReport report = sweep(db, growingBatches(), perBatch);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(100_200, report.tables().get(0).rows());
            assertTrue(perBatch.size() <= 15, "batches: " + perBatch);
            assertEquals(List.of(), report.runNotes(), "none escaped: no pass after the batches");
            assertEquals(
                    LongStream.rangeClosed(100_001, 120_000)
                            .filter(id -> id % 100 != 0)
                            .boxed()
                            .toList(),
                    EngineFixture.ids(db, "run"));
        }
    }

    /** A new database, opened with a pool of one, so that the count is made before the first batch. */
    private static Database poolOfOne() {
        return Databases.open(
                DatabaseUrl.parse(TestPostgres.newDatabase()),
                TestDatabases.options().withPoolSize(1));
    }

    /** Sweeps the runs by block ranges, noting the rows of each batch in {@code perBatch}. */
    private static PolicyReport sweep(Database db, RunOptions options, List<Long> perBatch) throws Exception {
        return EngineFixture.run(
                db, EngineFixture.blockRange(), options, new StopSignal(), event -> perBatch.add(event.rows()));
    }

    /** Batches that may grow eightfold at a time, up to 5 s: every batch here stays far below that. */
    private static RunOptions growingBatches() {
        return new RunOptions(
                Duration.ofMillis(300),
                new BatchSettings(Duration.ofSeconds(5), Duration.ZERO, 10, 1_000_000, 5, Duration.ofMillis(50)),
                true);
    }

    /**
     * Of the rows on the 199 pages before the table's last: how many a scan has marked as committed, and how many
     * there are.
     */
    private static List<Long> rowsReadBeforeTheLastPage(Database db) throws SQLException {
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE t_infomask & 256 <> 0), count(*)"
                    + " FROM generate_series(pg_relation_size('run') / 8192 - 200, pg_relation_size('run') / 8192 - 2)"
                    + " AS b, heap_page_items(get_raw_page('run', b::int)) WHERE lp_len > 0")) {
                rs.next();
                return List.of(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    private static void insertRuns(Statement s, int first, int last, Duration ago) throws SQLException {
        s.execute("INSERT INTO run (id, finished, status, payload) SELECT g, timestamptz '"
                + EngineFixture.cutoff().plus(Duration.ofDays(30)).minus(ago) + "', 2, rpad('run ' || g, 150, '.')"
                + " FROM generate_series(" + first + ", " + last + ") AS g");
    }

    /**
     * After a large delete that no VACUUM followed (a role that may not VACUUM, autovacuum not round yet), the few
     * expiring rows left lie thinly among the dead ones: a range's time is then mostly reading past dead rows, and
     * says nothing of how long a matching row takes. Taken for that, it held each range to the size of the last, a
     * few rows a batch, and the sweep took more batches than the table has pages of matching rows.
     */
    @Test
    void fewExpiringRowsAmongManyDeadOnesTakeAFewBatches() throws Exception {
        try (Database db = poolOfOne()) {
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                EngineFixture.create(c, DatabaseKind.POSTGRESQL);
                s.execute("ALTER TABLE run SET (autovacuum_enabled = false)");
                // One run in 500 expired; the rest recent, nine in ten of them deleted since by another policy.
                s.execute("INSERT INTO run (id, finished, status, payload) SELECT g, timestamptz '"
                        + EngineFixture.cutoff() + "' + CASE WHEN g % 500 = 0 THEN interval '-1 day'"
                        + " ELSE interval '29 days' END, 2, rpad('run ' || g, 150, '.')"
                        + " FROM generate_series(1, 300000) AS g");
                s.execute("VACUUM ANALYZE run");
                s.execute("DELETE FROM run WHERE id % 500 <> 0 AND id % 10 <> 0");
            }
            List<Long> perBatch = new ArrayList<>();

            PolicyReport report = sweep(db, sizedByTime(), perBatch);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(600, report.tables().get(0).rows());
            assertTrue(perBatch.size() <= 5, "batches: " + perBatch);
            try (Connection c = db.connection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE id % 10 <> 0) FROM run")) {
                rs.next();
                assertEquals(
                        List.of(29_400L, 0L), List.of(rs.getLong(1), rs.getLong(2)), "runs left; of them not kept");
            }
        }
    }

    /** As shipped: batches of about 200 ms, 100 to 250,000 rows. */
    private static RunOptions sizedByTime() {
        return new RunOptions(
                Duration.ofMillis(300),
                new BatchSettings(Duration.ofMillis(200), Duration.ZERO, 100, 250_000, 5, Duration.ofMillis(50)),
                true);
    }
}
