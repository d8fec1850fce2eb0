package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.BatchSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.jobs.schedule.JobResult;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On PostgreSQL, where changed rows can escape the batches, a run counts what still matches after them, and says how
 * many rows remain when they keep coming back as fast as it deletes them.
 */
class FinalPassTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theDryRunShowsTheFinalCountWhereARealRunMakesIt(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            try (Connection c = db.connection()) {
                EngineFixture.create(c, kind);
                EngineFixture.fill(c, kind, 300, 7);
            }
            PolicySettings policy = EngineFixture.policy(
                    Duration.ofDays(30),
                    List.of(),
                    false,
                    Strategy.BLOCK_RANGE,
                    50,
                    new RunLimits(0, Duration.ZERO, 1.0));
            PurgePlan plan;
            try (Connection c = db.connection()) {
                plan = new PurgePlanner(db.dialect()).plan(c, policy, EngineFixture.NOW);
            }

            PolicyReport preview = new PurgePreview(db, true).preview(plan);

            List<String> purposes = preview.statements().stream()
                    .map(PolicyReport.PlannedStatement::purpose)
                    .toList();
            List<String> sql = preview.statements().stream()
                    .map(PolicyReport.PlannedStatement::sql)
                    .toList();
            if (kind == DatabaseKind.POSTGRESQL) {
                assertEquals(
                        List.of(
                                "in a snapshot taken before the first batch, count the rows that match (beside the"
                                        + " batches, on a second connection, when the pool has one to spare) and note"
                                        + " the oldest transaction then running; the batches take only row versions"
                                        + " older than it, so when they have taken as many rows as counted here, none"
                                        + " escaped them",
                                "after the batches, unless they took every row counted before the first, count the rows"
                                        + " that still match (a row changed while they ran can escape them); any left"
                                        + " go in more batches",
                                "which find their rows by index, up to 50 at a time"),
                        List.of(purposes.get(0), purposes.get(2), purposes.get(3)));
                assertEquals(
                        List.of(
                                "SELECT count(*), pg_snapshot_xmin(pg_current_snapshot())::text FROM \"run\" WHERE"
                                        + " \"finished\" < ?\n  -- $1 = "
                                        + plan.where().params().get(0).display(),
                                plan.count().display(),
                                plan.indexedDelete().display()),
                        List.of(sql.get(0), sql.get(2), sql.get(3)));
                assertEquals(
                        "run: index ctid range",
                        preview.statements().get(1).index(),
                        "the range batch explained with an xid bound, as a real run binds it");
                assertTrue(
                        sql.get(1)
                                .contains(" AND (age(CAST(? AS xid))::bigint - age(xmin)::bigint + 4294967296)"
                                        + " % 4294967296 >= 268435456"),
                        sql.get(1));
            } else {
                assertTrue(purposes.stream().noneMatch(p -> p.startsWith("after the batches")), purposes.toString());
            }
        }
    }

    @Test
    void aRunThatCannotCatchUpSaysHowManyRowsRemain() throws Exception {
        DatabaseKind kind = DatabaseKind.POSTGRESQL;
        try (Database db = TestDatabases.open(kind, dir)) {
            try (Connection c = db.connection()) {
                EngineFixture.create(c, kind);
                EngineFixture.fill(c, kind, 500, 7);
            }
            PolicySettings policy = EngineFixture.policy(
                    Duration.ofDays(30), List.of(), false, Strategy.INDEX, 50, new RunLimits(0, Duration.ZERO, 1.0));
            AtomicInteger written = new AtomicInteger();
            // The application writes one more expired run after every batch the sweep commits, a second older than
            // the cutoff. Written after the run began, the batches in time order leave them to the passes after
            // them, which take what they find and then find the next one: exactly one row is left after each pass.
            // After the first batch it also rewrites the youngest row counted before the first batch, which the
            // batches then leave (its version is not the one counted): so they took fewer than they counted, and the
            // passes follow.
            PurgeProgress writer = event -> {
                try (Connection c = db.connection()) {
                    if (written.get() == 0) {
                        try (Statement s = c.createStatement()) {
                            s.execute("UPDATE run SET payload = 'edited' WHERE id = (SELECT id FROM run WHERE finished"
                                    + " < timestamptz '" + EngineFixture.NOW + "' - interval '30 days'"
                                    + " ORDER BY finished DESC LIMIT 1)");
                        }
                    }
                    new TestRows(c)
                            .insert(
                                    "run",
                                    "id",
                                    10_000L + written.incrementAndGet(),
                                    "finished",
                                    EngineFixture.NOW.minus(Duration.ofDays(30).plusSeconds(1)),
                                    "status",
                                    1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };

            PolicyReport report = EngineFixture.run(db, policy, EngineFixture.options(true), new StopSignal(), writer);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(
                    "; stopped at the final check: rows still matched after 3 passes by index,"
                            + " about 1 matching rows remain for the next run",
                    Summaries.stop(report));
            assertEquals(1, report.stop().orElseThrow().remaining());
            // Left after the batches: the rewritten row and the application's rows of every batch but the three
            // passes' (one batch each).
            String left = (written.get() - 2) + " matching rows were left after the batches; a pass by index followed";
            assertEquals(List.of(left), report.runNotes());
            assertTrue(
                    JobResult.of(report).summary().endsWith("; note: " + left),
                    JobResult.of(report).summary());
            try (Connection c = db.connection()) {
                assertEquals(
                        List.of(10_000L + written.get()),
                        new TestRows(c)
                                .ids("run").stream()
                                        .map(Long::parseLong)
                                        .filter(id -> id > 10_000)
                                        .toList());
            }
        }
    }

    /** With a connection to spare the count runs beside the batches; with a pool of one, before them. */
    @ParameterizedTest
    @CsvSource({"4, beside the batches: run", "1, before the first batch: run"})
    void aRangeSweepThatTookEveryRowItCountedBeforeItsFirstBatchCountsNothingAfterIt(int poolSize, String countedWhen)
            throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db =
                Databases.open(DatabaseUrl.parse(url), TestDatabases.options().withPoolSize(poolSize))) {
            fillRuns(db, 600);
            List<Long> kept = keptIds(db);
            List<String> counts = new ArrayList<>();

            PolicyReport report = EngineFixture.run(
                    db, blockRange(), EngineFixture.options(true), new StopSignal(), counting(url, counts, null));

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(List.of(countedWhen), counts);
            assertEquals(kept, EngineFixture.ids(db, "run"));
            assertEquals(600 - kept.size(), report.tables().get(0).rows());
            assertEquals(1, report.notes().size(), report.notes().toString());
            assertEquals(List.of(), report.runNotes(), "the strategy's note is the plan's, not the run's");
        }
    }

    /**
     * Batches in time order count beside them only on a connection the pool holds made and idle (a new session costs
     * more than their count); else on the run's own, before the first batch. Either way, having taken every row they
     * counted, they need no count after them.
     */
    @ParameterizedTest
    @CsvSource({"2, beside the batches: run", "1, before the first batch: run"})
    void batchesInTimeOrderCountBesideThemOnlyOnAConnectionAlreadyMade(int madeBefore, String countedWhen)
            throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db =
                Databases.open(DatabaseUrl.parse(url), TestDatabases.options().withPoolSize(4))) {
            fillRuns(db, 600);
            List<Long> kept = keptIds(db);
            List<Connection> made = new ArrayList<>();
            for (int i = 0; i < madeBefore; i++) {
                made.add(db.connection());
            }
            for (Connection c : made) {
                c.close();
            }
            PolicySettings policy = EngineFixture.policy(
                    Duration.ofDays(30), List.of(), false, Strategy.INDEX, 50, new RunLimits(0, Duration.ZERO, 1.0));
            try (Connection c = db.connection()) {
                assertTrue(new PurgePlanner(db.dialect())
                        .plan(c, policy, EngineFixture.NOW)
                        .countsAtStart());
            }
            List<String> counts = new ArrayList<>();

            PolicyReport report = EngineFixture.run(
                    db, policy, EngineFixture.options(true), new StopSignal(), counting(url, counts, null));

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(List.of(countedWhen), counts);
            assertEquals(kept, EngineFixture.ids(db, "run"));
            assertEquals(600 - kept.size(), report.tables().get(0).rows());
            assertEquals(List.of(), report.runNotes());
        }
    }

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
            PolicyReport report = EngineFixture.run(db, blockRange(), growingBatches(), new StopSignal(), progress);

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
        String url = TestPostgres.newDatabase();
        try (Database db =
                Databases.open(DatabaseUrl.parse(url), TestDatabases.options().withPoolSize(1))) {
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                EngineFixture.create(c, DatabaseKind.POSTGRESQL);
                insertRuns(s, 1, 100_000, Duration.ofDays(60));
                s.execute("INSERT INTO run (id, finished, status, payload) SELECT g, timestamptz '"
                        + cutoff().plus(Duration.ofDays(30)) + "' - CASE WHEN g % 100 = 0 THEN interval '60 days'"
                        + " ELSE interval '1 day' END, 2, rpad('run ' || g, 150, '.')"
                        + " FROM generate_series(100001, 120000) AS g");
                s.execute("VACUUM ANALYZE run");
            }
            List<Long> perBatch = new ArrayList<>();
            PolicyReport report = EngineFixture.run(
                    db, blockRange(), growingBatches(), new StopSignal(), event -> perBatch.add(event.rows()));

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
                + cutoff().plus(Duration.ofDays(30)).minus(ago) + "', 2, rpad('run ' || g, 150, '.')"
                + " FROM generate_series(" + first + ", " + last + ") AS g");
    }

    /** Held open, the count's snapshot would hold back the cleanup of every table on the server for the whole sweep. */
    @Test
    void theCountBesideTheBatchesEndsItsTransactionOnceItHasCounted() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
            fillRuns(db, 600);
            List<Long> kept = keptIds(db);
            List<String> counts = Collections.synchronizedList(new ArrayList<>());
            List<Long> openAfterFirstBatch = new ArrayList<>();
            PurgeProgress watching = new PurgeProgress() {
                @Override
                public void batchCommitted(BatchEvent event) {
                    if (event.batches() == 1) {
                        openAfterFirstBatch.add(sessionsInTransactionWithin(url, Duration.ofSeconds(10)));
                    }
                }

                @Override
                public void countingBesideBatches(String policy, String table) {
                    counts.add("beside the batches: " + table);
                }

                @Override
                public void countedBesideBatches(String policy, String table) {
                    counts.add("counted beside the batches: " + table);
                }
            };

            PolicyReport report =
                    EngineFixture.run(db, blockRange(), EngineFixture.options(true), new StopSignal(), watching);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(
                    List.of("beside the batches: run", "counted beside the batches: run"),
                    counts,
                    "told when the count began and once it ended");
            assertEquals(List.of(0L), openAfterFirstBatch, "Runsweep's sessions in a transaction between batches");
            assertEquals(kept, EngineFixture.ids(db, "run"));
        }
    }

    /** Runsweep's sessions in a transaction, once there are none or {@code wait} has passed. */
    private static long sessionsInTransactionWithin(String url, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE application_name = 'runsweep' AND datname = current_database()"
                        + " AND xact_start IS NOT NULL")) {
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0 || System.nanoTime() > deadline) {
                        return rs.getLong(1);
                    }
                }
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRowTheServerChangesDuringARangeSweepIsLeftByItsBatchesThenCountedAndTaken() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
            fillRuns(db, 600);
            List<Long> kept = keptIds(db);
            List<String> counts = new ArrayList<>();
            // After the first batch, the server rewrites the last due run, which the batches have not reached.
            String change =
                    "UPDATE run SET payload = 'changed' WHERE id = (SELECT max(id) FROM run WHERE finished < ?)";

            PolicyReport report = EngineFixture.run(
                    db, blockRange(), EngineFixture.options(true), new StopSignal(), counting(url, counts, change));

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(
                    List.of("beside the batches: run", "after the batches: run", "after the batches: run"),
                    counts,
                    "the count that found it, and the one after the pass by index that found none");
            assertEquals(
                    List.of("1 matching row was left after the batches; a pass by index followed"),
                    report.notes().subList(1, report.notes().size()));
            assertEquals(kept, EngineFixture.ids(db, "run"));
            assertEquals(600 - kept.size(), report.tables().get(0).rows());
        }
    }

    @Test
    void aRowWrittenWithAnOldTimeDuringARangeSweepIsLeftForTheNextRun() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
            fillRuns(db, 600);
            List<Long> kept = keptIds(db);
            List<String> counts = new ArrayList<>();
            String write = "INSERT INTO run (id, finished, status) VALUES (10001, CAST(? AS timestamptz) - interval"
                    + " '10 days', 1)";

            PolicyReport first = EngineFixture.run(
                    db, blockRange(), EngineFixture.options(true), new StopSignal(), counting(url, counts, write));
            PolicyReport next = EngineFixture.run(
                    db, blockRange(), EngineFixture.options(true), new StopSignal(), PurgeProgress.NONE);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, first.outcome(), first.toString());
            assertEquals(List.of("beside the batches: run"), counts, "it did not match when the run began");
            assertEquals(600 - kept.size(), first.tables().get(0).rows());
            assertEquals(1, next.tables().get(0).rows(), "the next run takes it");
            assertEquals(kept, EngineFixture.ids(db, "run"));
        }
    }

    @Test
    void aConditionThatReadsAnotherTableIsCountedAfterTheBatchesAsBefore() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
            fillRuns(db, 50);
            PolicySettings range = blockRange();
            PolicySettings unreferenced = new PolicySettings(
                    range.name(),
                    range.table(),
                    range.timeColumn(),
                    range.timeColumnFallback(),
                    range.olderThan(),
                    range.statuses(),
                    range.whereNull(),
                    List.of(new TableColumn("step", "run_id")),
                    range.keyColumn(),
                    range.dependents(),
                    range.batchSize(),
                    range.limits(),
                    range.strategy(),
                    range.enabled(),
                    range.schedule(),
                    range.location(),
                    range.archive(),
                    range.overrides(),
                    range.missingParents());
            try (Connection c = db.connection()) {
                PurgePlanner planner = new PurgePlanner(db.dialect());
                assertTrue(planner.plan(c, range, EngineFixture.NOW).countsAtStart());
                PurgePlan plan = planner.plan(c, unreferenced, EngineFixture.NOW);
                assertFalse(plan.countsAtStart(), "a row can come to match it while the batches run");
                assertTrue(plan.deleteBatch().params().stream().noneMatch(SqlParam.StartXid.class::isInstance));
            }
        }
    }

    /** Runs older than 30 days, swept by block ranges of about 50 rows. */
    private static PolicySettings blockRange() {
        return EngineFixture.policy(
                Duration.ofDays(30), List.of(), false, Strategy.BLOCK_RANGE, 50, new RunLimits(0, Duration.ZERO, 1.0));
    }

    private static void fillRuns(Database db, int rows) throws Exception {
        try (Connection c = db.connection()) {
            EngineFixture.create(c, DatabaseKind.POSTGRESQL);
            EngineFixture.fill(c, DatabaseKind.POSTGRESQL, rows, 7);
        }
    }

    /** The ids of the runs a 30-day policy keeps, in order. */
    private static List<Long> keptIds(Database db) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement s =
                        c.prepareStatement("SELECT id FROM run WHERE finished IS NULL OR finished >= ? ORDER BY id")) {
            s.setObject(1, cutoff());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static OffsetDateTime cutoff() {
        return EngineFixture.NOW.minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC);
    }

    /**
     * Records the counts a run makes around its batches; after its first batch, runs {@code write} (one parameter,
     * the cutoff) on a session of the application's own, when given.
     */
    private static PurgeProgress counting(String url, List<String> counts, String write) {
        return new PurgeProgress() {
            @Override
            public void batchCommitted(BatchEvent event) {
                if (write != null && event.batches() == 1) {
                    try (Connection c = DriverManager.getConnection(url, "postgres", "");
                            PreparedStatement s = c.prepareStatement(write)) {
                        s.setObject(1, cutoff());
                        assertEquals(1, s.executeUpdate(), write);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }

            @Override
            public void countingBeforeFirstBatch(String policy, String table) {
                counts.add("before the first batch: " + table);
            }

            @Override
            public void countingBesideBatches(String policy, String table) {
                counts.add("beside the batches: " + table);
            }

            @Override
            public void countingWhatIsLeft(String policy, String table) {
                counts.add("after the batches: " + table);
            }
        };
    }
}
