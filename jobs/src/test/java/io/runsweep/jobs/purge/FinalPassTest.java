package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
                    db,
                    EngineFixture.blockRange(),
                    EngineFixture.options(true),
                    new StopSignal(),
                    counting(url, counts, null));

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

            PolicyReport report = EngineFixture.run(
                    db, EngineFixture.blockRange(), EngineFixture.options(true), new StopSignal(), watching);

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
                    db,
                    EngineFixture.blockRange(),
                    EngineFixture.options(true),
                    new StopSignal(),
                    counting(url, counts, change));

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
                    db,
                    EngineFixture.blockRange(),
                    EngineFixture.options(true),
                    new StopSignal(),
                    counting(url, counts, write));
            PolicyReport next = EngineFixture.run(
                    db, EngineFixture.blockRange(), EngineFixture.options(true), new StopSignal(), PurgeProgress.NONE);

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
            PolicySettings range = EngineFixture.blockRange();
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
            s.setObject(1, EngineFixture.cutoff());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
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
                        s.setObject(1, EngineFixture.cutoff());
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
