package io.runsweep.jobs.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.TableName;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.postgresql.PostgresVacuum;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VACUUM and ANALYZE on a real PostgreSQL: what runs, and the dead rows and bytes it gives back. */
class PostgresMaintenanceTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    /**
     * job_run: 1,000 recent runs, then 11,000 old ones (last, so that their pages end the heap and VACUUM can
     * cut them off); two job_step rows per run by ON DELETE CASCADE; one job_note (no foreign key) for each
     * of five old runs. Autovacuum is off, so that only Runsweep's VACUUM removes dead rows.
     */
    private static void seed(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE job_run (id bigint PRIMARY KEY, finished timestamptz NOT NULL, body text)"
                    + " WITH (autovacuum_enabled = false)");
            s.execute("CREATE INDEX ix_job_run__finished ON job_run (finished)");
            s.execute("CREATE TABLE job_step (id bigserial PRIMARY KEY, run_id bigint NOT NULL REFERENCES job_run (id)"
                    + " ON DELETE CASCADE, body text) WITH (autovacuum_enabled = false)");
            s.execute("CREATE INDEX ix_job_step__run_id ON job_step (run_id)");
            s.execute("CREATE TABLE job_note (id bigserial PRIMARY KEY, run_id bigint, body text)"
                    + " WITH (autovacuum_enabled = false)");
            s.execute("CREATE INDEX ix_job_note__run_id ON job_note (run_id)");
            s.execute("INSERT INTO job_run SELECT g, timestamptz '2026-05-30', repeat('r', 300)"
                    + " FROM generate_series(1, 1000) g");
            s.execute("INSERT INTO job_run SELECT g, timestamptz '2026-01-01', repeat('r', 300)"
                    + " FROM generate_series(1001, 12000) g");
            s.execute("INSERT INTO job_step (run_id, body) SELECT r.id, repeat('s', 100) FROM job_run r,"
                    + " generate_series(1, 2)");
            s.execute("INSERT INTO job_note (run_id, body) SELECT g, 'note' FROM generate_series(996, 1005) g");
            s.execute("INSERT INTO job_note (run_id, body) SELECT NULL, 'other' FROM generate_series(1, 1000)");
        }
    }

    private Settings settings(String... maintenance) throws Exception {
        return TestSettings.load(
                dir,
                "runsweep.maintenance {",
                String.join("\n", maintenance),
                "}",
                "runsweep.policies.old-runs {",
                "  table = job_run",
                "  time-column = finished",
                "  older-than = 30d",
                "  dependents = [{table = job_note, column = run_id}]",
                "  batch-size = 4000",
                "}");
    }

    @Test
    void aBigPurgeIsFollowedByVacuumOfTheTablesItEmptiedAndTheDryRunShowsIt() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = database.connection()) {
                seed(c);
            }
            Settings settings = settings();

            SweepReport preview;
            try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
                preview = new Sweep(readOnly, TestSettings.runOptions(), CLOCK, new StopSignal())
                        .withMaintenance(settings.maintenance())
                        .run(settings.enabledPolicies(), true, PurgeProgress.NONE);
            }
            MaintenanceReport planned = preview.maintenance().get(0);
            assertEquals("after policy old-runs", planned.cause());
            assertEquals(
                    List.of("job_run", "job_step"),
                    planned.tables().stream().map(TableMaintenance::table).toList());
            Step vacuumRuns = planned.tables().get(0).step();
            assertEquals(
                    new Step(
                            "VACUUM (ANALYZE) \"job_run\"",
                            "deleted 11,000 rows, more than vacuum-after-rows" + " (10,000)",
                            Step.Outcome.PLANNED,
                            Duration.ZERO,
                            Optional.empty(),
                            List.of()),
                    vacuumRuns);
            assertEquals(
                    "deleted 22,000 rows, more than vacuum-after-rows (10,000)",
                    planned.tables().get(1).step().reason());
            assertEquals(0, planned.tables().get(0).before().deadRows());
            assertEquals(Optional.empty(), planned.tables().get(0).after());

            SweepReport sweep = new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                    .withMaintenance(settings.maintenance())
                    .run(settings.enabledPolicies(), false, PurgeProgress.NONE);

            PolicyReport purge = sweep.policies().get(0);
            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    purge.outcome(),
                    purge.error().orElse(""));
            assertEquals(11_000, purge.rows("job_run"));
            assertEquals(5, purge.rows("job_note"));
            MaintenanceReport vacuumed = sweep.maintenance().get(0);
            assertEquals(List.of(), vacuumed.problems());
            assertEquals(
                    List.of("job_run", "job_step"),
                    vacuumed.tables().stream().map(TableMaintenance::table).toList());

            TableMaintenance runs = vacuumed.tables().get(0);
            assertEquals(
                    Step.Outcome.DONE,
                    runs.step().outcome(),
                    runs.step().message().orElse(""));
            assertEquals(
                    "deleted 11,000 rows, more than vacuum-after-rows (10,000)",
                    runs.step().reason());
            assertEquals(11_000, runs.before().deadRows());
            assertEquals(1_000, runs.before().liveRows());
            assertEquals(0, runs.after().orElseThrow().deadRows());
            assertEquals(1_000, runs.after().orElseThrow().liveRows());
            assertTrue(
                    runs.after().orElseThrow().totalBytes() < runs.before().totalBytes(),
                    runs.before() + " -> " + runs.after());

            TableMaintenance steps = vacuumed.tables().get(1);
            assertEquals("VACUUM (ANALYZE) \"job_step\"", steps.step().statement());
            assertEquals(
                    "22,000 dead rows after the purge's cascade, more than vacuum-after-rows (10,000)",
                    steps.step().reason());
            assertEquals(22_000, steps.before().deadRows());
            assertEquals(0, steps.after().orElseThrow().deadRows());
            assertEquals(false, sweep.anyFailed());
        }
    }

    @Test
    void theJobAnalyzesEveryManagedTableAndVacuumsThoseWithManyDeadRows() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PostgresVacuum vacuum = new PostgresVacuum();
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                seed(c);
                s.execute("DELETE FROM job_note WHERE run_id IS NULL AND id % 4 = 0");
                vacuum.flushStatistics(c);
            }

            MaintenanceReport report = new Maintenance(database, settings("vacuum-dead-fraction = 0.2"), CLOCK).run();

            assertEquals(List.of(), report.problems());
            assertEquals(
                    List.of("ANALYZE \"job_run\"", "VACUUM (ANALYZE) \"job_note\"", "ANALYZE \"job_step\""),
                    report.tables().stream().map(t -> t.step().statement()).toList());
            TableMaintenance notes = report.tables().get(1);
            assertEquals(
                    "dead rows are 25% of the table, more than vacuum-dead-fraction (0.2)",
                    notes.step().reason());
            assertEquals(
                    List.of(760L, 250L),
                    List.of(notes.before().liveRows(), notes.before().deadRows()));
            assertEquals(0, notes.after().orElseThrow().deadRows());
            assertEquals(
                    "scheduled ANALYZE: fresh statistics for the planner",
                    report.tables().get(0).step().reason());
            assertEquals(12_000, report.tables().get(0).after().orElseThrow().liveRows());
            assertEquals(false, report.anyFailed());
        }
    }

    @Test
    void aStopCancelsTheVacuumFullUnderWayAndStartsNoOtherStatement() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = database.connection()) {
                seed(c);
            }
            Settings settings = TestSettings.load(
                    dir,
                    "runsweep.database.lock-timeout = 10m",
                    "runsweep.maintenance.vacuum-full-tables = [job_run]",
                    "runsweep.policies.old-runs {",
                    "  table = job_run, time-column = finished, older-than = 30d",
                    "  dependents = [{table = job_note, column = run_id}]",
                    "}");
            StopSignal stop = new StopSignal();
            MaintenanceReport report;
            ExecutorService running = Executors.newSingleThreadExecutor();
            // A report someone left open: VACUUM FULL waits for its ACCESS SHARE lock, as it would for minutes.
            try (Connection reader = database.connection();
                    Statement r = reader.createStatement();
                    Connection watching = database.connection();
                    Statement w = watching.createStatement()) {
                reader.setAutoCommit(false);
                r.executeQuery("SELECT count(*) FROM job_run").close();
                Future<MaintenanceReport> maintaining =
                        running.submit(() -> new Maintenance(database, settings, CLOCK, stop).run());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (TestPostgres.runsweepSessionsWaitingForALock(w) == 0) {
                    assertTrue(System.nanoTime() < deadline, "VACUUM FULL never came to wait for the lock");
                    Thread.sleep(20);
                }
                stop.raise("the test");
                report = maintaining.get(30, TimeUnit.SECONDS);
                assertEquals(
                        0, TestPostgres.runsweepSessionsWaitingForALock(w), "VACUUM FULL still waits in the server");
                reader.commit();
            } finally {
                running.shutdownNow();
            }

            assertEquals(List.of(), report.problems());
            Step full = report.tables().get(0).step();
            assertEquals("VACUUM (FULL, ANALYZE) \"job_run\"", full.statement());
            assertEquals(Step.Outcome.SKIPPED, full.outcome());
            assertEquals(
                    Optional.of("cancelled while it ran, by the test; the next run does it again"), full.message());
            List<TableMaintenance> rest =
                    report.tables().subList(1, report.tables().size());
            assertEquals(
                    List.of("ANALYZE \"job_note\"", "ANALYZE \"job_step\""),
                    rest.stream().map(t -> t.step().statement()).toList());
            for (TableMaintenance table : rest) {
                assertEquals(Step.Outcome.SKIPPED, table.step().outcome());
                assertEquals(
                        Optional.of("not run: stopped by the test before it began"),
                        table.step().message());
            }
            assertEquals(false, report.anyFailed());
        }
    }

    @Test
    void vacuumFullRewritesOnlyListedTablesAfterCheckingTheServersDisk() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                seed(c);
                s.execute("DELETE FROM job_run WHERE id % 2 = 0");
                // The cascade's dead rows in job_step, counted now rather than whenever this session flushes.
                new PostgresVacuum().flushStatistics(c);
            }

            MaintenanceReport report =
                    new Maintenance(database, settings("vacuum-full-tables = [job_run]"), CLOCK).run();

            TableMaintenance runs = report.tables().get(0);
            assertEquals("VACUUM (FULL, ANALYZE) \"job_run\"", runs.step().statement());
            assertEquals(
                    Step.Outcome.DONE,
                    runs.step().outcome(),
                    runs.step().message().orElse(""));
            assertEquals("listed in vacuum-full-tables", runs.step().reason());
            assertEquals(
                    "VACUUM FULL of \"job_run\" holds an ACCESS EXCLUSIVE lock until it ends: the scheduler can"
                            + " neither read nor write \"job_run\" meanwhile. It needs about "
                            + Formats.bytesExact(runs.before().totalBytes())
                            + " of free disk (the table with its indexes).",
                    runs.step().warnings().get(0));
            assertTrue(
                    runs.step().warnings().get(1).startsWith("free disk checked: "),
                    runs.step().warnings().toString());
            assertEquals(2, runs.step().warnings().size());
            long after = runs.after().orElseThrow().totalBytes();
            assertTrue(after < runs.before().totalBytes() * 0.7, runs.before() + " -> " + runs.after());
            assertEquals(0, runs.after().orElseThrow().deadRows());
            assertEquals(
                    List.of("ANALYZE \"job_note\"", "VACUUM (ANALYZE) \"job_step\""),
                    report.tables().stream()
                            .skip(1)
                            .map(t -> t.step().statement())
                            .toList());
        }
    }

    /**
     * A table owner who is not a superuser may VACUUM FULL its table, but may not read where the server keeps
     * its files, so the free disk cannot be checked: refused, unless the user says to go on unchecked.
     */
    @Test
    void vacuumFullIsRefusedWhenTheFreeDiskCannotBeCheckedUnlessToldToGoOn() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection admin = DriverManager.getConnection(url);
                Statement s = admin.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'runsweep_owner') THEN"
                    + " CREATE ROLE runsweep_owner LOGIN; END IF; END $$");
            s.execute("GRANT CREATE ON SCHEMA public TO runsweep_owner");
        }
        DatabaseUrl asOwner = DatabaseUrl.parse(url.replace("user=postgres", "user=runsweep_owner"));
        try (Database database = Databases.open(asOwner, TestDatabases.options())) {
            try (Connection c = database.connection()) {
                seed(c);
            }
            MaintenanceReport refused =
                    new Maintenance(database, settings("vacuum-full-tables = [job_run]"), CLOCK).run();

            TableMaintenance runs = refused.tables().get(0);
            assertEquals(Step.Outcome.REFUSED, runs.step().outcome());
            // The server's own words differ between versions (17: "permission denied to examine ..."); ours do not.
            String message = runs.step().message().orElseThrow();
            assertTrue(
                    message.startsWith("VACUUM FULL of \"job_run\" refused: it needs about "
                            + Formats.bytesExact(runs.before().totalBytes())
                            + " of free disk, and Runsweep cannot check that: the server would not tell where its files"
                            + " are: SQL State 42501, error code 0: ERROR: "),
                    message);
            assertTrue(message.contains("\"data_directory\"") && message.contains("pg_read_all_settings"), message);
            assertTrue(
                    message.endsWith(". Once you know the space is there, set"
                            + " runsweep.maintenance.vacuum-full-unchecked-disk = true to run it without the check"),
                    message);
            assertEquals(Optional.empty(), runs.after());
            assertEquals(true, refused.anyFailed());

            MaintenanceReport unchecked = new Maintenance(
                            database,
                            settings("vacuum-full-tables = [job_run]", "vacuum-full-unchecked-disk = true"),
                            CLOCK)
                    .run();

            TableMaintenance rewritten = unchecked.tables().get(0);
            assertEquals(
                    Step.Outcome.DONE,
                    rewritten.step().outcome(),
                    rewritten.step().message().orElse(""));
            assertTrue(
                    rewritten
                            .step()
                            .warnings()
                            .get(1)
                            .startsWith("free disk NOT checked (the server would not tell"
                                    + " where its files are: SQL State 42501"),
                    rewritten.step().warnings().toString());
            assertTrue(
                    rewritten
                            .step()
                            .warnings()
                            .get(1)
                            .endsWith("); running anyway, as"
                                    + " runsweep.maintenance.vacuum-full-unchecked-disk = true"),
                    rewritten.step().warnings().toString());
            assertEquals(false, unchecked.anyFailed());
        }
    }

    /**
     * A role that may delete rows but does not own the tables: the server would skip its VACUUM with a WARNING
     * and report success. Runsweep reports it skipped, with the grant that lets it; the grant, run, clears it.
     * job_run and job_step belong to the application's role; job_note to a superuser, whose role no grant is
     * offered for before PostgreSQL 17 (membership would make the sweeper a superuser).
     */
    @Test
    void aVacuumTheRoleMayNotRunIsSkippedWithTheGrantThatLetsItAndTheGrantWorks() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection admin = DriverManager.getConnection(url);
                Statement s = admin.createStatement()) {
            seed(admin);
            for (String role : List.of("runsweep_app NOLOGIN", "runsweep_sweeper LOGIN")) {
                s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role.split(" ")[0]
                        + "') THEN CREATE ROLE " + role + "; END IF; END $$");
            }
            s.execute("ALTER TABLE job_run OWNER TO runsweep_app");
            s.execute("ALTER TABLE job_step OWNER TO runsweep_app");
            s.execute("GRANT SELECT, DELETE ON job_run, job_step, job_note TO runsweep_sweeper");
            s.execute("ALTER TABLE job_note RESET (autovacuum_enabled)");
        }
        DatabaseUrl asSweeper = DatabaseUrl.parse(url.replace("user=postgres", "user=runsweep_sweeper"));
        Settings settings = settings();
        try (Database database = Databases.open(asSweeper, TestDatabases.options())) {
            boolean maintainPrivilege;
            try (Connection c = database.connection()) {
                maintainPrivilege = c.getMetaData().getDatabaseMajorVersion() >= 17;
            }
            String later = "PostgreSQL 17's GRANT MAINTAIN gives VACUUM and ANALYZE alone";

            SweepReport sweep = new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                    .withMaintenance(settings.maintenance())
                    .run(settings.enabledPolicies(), false, PurgeProgress.NONE);

            assertEquals(
                    11_000,
                    sweep.policies().get(0).rows("job_run"),
                    sweep.policies().get(0).error().orElse(""));
            MaintenanceReport after = sweep.maintenance().get(0);
            TableMaintenance runs = after.tables().get(0);
            assertEquals(
                    new Step(
                            "VACUUM (ANALYZE) \"job_run\"",
                            "deleted 11,000 rows, more than vacuum-after-rows (10,000)",
                            Step.Outcome.SKIPPED,
                            Duration.ZERO,
                            Optional.of("skipped: role runsweep_sweeper may not VACUUM \"job_run\"; only "
                                    + (maintainPrivilege
                                            ? "a role with the MAINTAIN privilege on it (its owner runsweep_app,"
                                                    + " pg_maintain), or the database's owner"
                                            : "its owner runsweep_app, a member of that role, a superuser, or the"
                                                    + " database's owner")
                                    + " may. Autovacuum is off for it, so nothing else will. For Runsweep to do it,"
                                    + " an administrator runs: "
                                    + (maintainPrivilege
                                            ? "GRANT MAINTAIN ON \"job_run\" TO runsweep_sweeper;"
                                            : "GRANT runsweep_app TO runsweep_sweeper; (membership lets runsweep_sweeper"
                                                    + " act as runsweep_app in everything, SET ROLE and DROP included; "
                                                    + later + ")")),
                            List.of()),
                    runs.step());
            assertEquals(
                    List.of(Step.Outcome.SKIPPED, Step.Outcome.SKIPPED),
                    after.tables().stream().map(t -> t.step().outcome()).toList());
            assertEquals(Optional.empty(), runs.after());
            assertEquals(2, after.skipped());
            assertEquals(false, sweep.anyFailed());
            assertEquals(11_000, deadRows(url, "job_run"));

            MaintenanceReport job = new Maintenance(database, settings, CLOCK).run();
            assertEquals(
                    List.of("VACUUM (ANALYZE) \"job_run\"", "ANALYZE \"job_note\"", "VACUUM (ANALYZE) \"job_step\""),
                    job.tables().stream().map(t -> t.step().statement()).toList());
            assertEquals(3, job.skipped());
            assertEquals(
                    Optional.of("skipped: role runsweep_sweeper may not ANALYZE \"job_note\"; only "
                            + (maintainPrivilege
                                    ? "a role with the MAINTAIN privilege on it (its owner postgres, pg_maintain), or"
                                            + " the database's owner may. Autovacuum still cleans and analyzes it. For"
                                            + " Runsweep to do it, an administrator runs: GRANT MAINTAIN ON \"job_note\""
                                            + " TO runsweep_sweeper;"
                                    : "its owner postgres, a member of that role, a superuser, or the database's owner"
                                            + " may. Autovacuum still cleans and analyzes it. Its owner postgres is a"
                                            + " superuser, and membership in that role would make runsweep_sweeper one"
                                            + " (SET ROLE): run Runsweep as a superuser for it to do this, or leave it"
                                            + " to autovacuum; " + later + ".")),
                    job.tables().get(1).step().message());
            assertEquals(false, job.anyFailed());

            String advised = runs.step().message().orElseThrow();
            int from = advised.indexOf("runs: ") + "runs: ".length();
            advised = advised.substring(from, advised.indexOf(';', from) + 1);
            try (Connection admin = DriverManager.getConnection(url);
                    Statement s = admin.createStatement()) {
                s.execute(advised);
            }

            MaintenanceReport granted = new Maintenance(database, settings, CLOCK).run();
            assertEquals(
                    maintainPrivilege
                            ? List.of(Step.Outcome.DONE, Step.Outcome.SKIPPED, Step.Outcome.SKIPPED)
                            : List.of(Step.Outcome.DONE, Step.Outcome.SKIPPED, Step.Outcome.DONE),
                    granted.tables().stream().map(t -> t.step().outcome()).toList());
            TableMaintenance vacuumed = granted.tables().get(0);
            assertEquals("VACUUM (ANALYZE) \"job_run\"", vacuumed.step().statement());
            assertEquals(List.of(), vacuumed.step().warnings());
            assertEquals(0, vacuumed.after().orElseThrow().deadRows());
            assertEquals(0, deadRows(url, "job_run"));
            assertEquals(maintainPrivilege ? 22_000 : 0, deadRows(url, "job_step"));
        }
    }

    private static long deadRows(String url, String table) throws Exception {
        try (Connection admin = DriverManager.getConnection(url)) {
            return new PostgresVacuum().stats(admin, TableName.of(table)).deadRows();
        }
    }

    /**
     * A dashboard's transaction, open since before the purge, may still see every row the purge deleted, so a
     * VACUUM after it would scan their pages and remove none: ANALYZE alone runs, and the report names the
     * dashboard; the dry run before it says so. Once it ends, the maintenance job's VACUUM removes them and says
     * nothing more.
     */
    @Test
    void aSnapshotHeldSinceBeforeThePurgeLeavesItsVacuumForLaterNamingTheHolder() throws Exception {
        whileADashboardHoldsASnapshot((database, settings, url, holder) -> {
            SweepReport preview;
            try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
                preview = new Sweep(readOnly, TestSettings.runOptions(), CLOCK, new StopSignal())
                        .withMaintenance(settings.maintenance())
                        .run(settings.enabledPolicies(), true, PurgeProgress.NONE);
            }
            Step planned = preview.maintenance().get(0).tables().get(0).step();
            assertEquals("VACUUM (ANALYZE) \"job_run\"", planned.statement());
            assertEquals(
                    List.of("while " + holder + " holds the snapshot it holds now, a real run leaves this VACUUM"
                            + " for later and runs ANALYZE alone: no VACUUM can remove a row deleted after that"
                            + " snapshot was taken"),
                    planned.warnings());

            SweepReport sweep = new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                    .withMaintenance(settings.maintenance())
                    .run(settings.enabledPolicies(), false, PurgeProgress.NONE);

            String leftForLater = "VACUUM of \"%s\" left for later: it removes a row only once no transaction"
                    + " may still see it, and " + holder
                    + " has held a snapshot since before the purge's first batch committed, so it"
                    + " would remove none of the rows the purge deleted. ANALYZE alone ran. Once it ends, the"
                    + " next VACUUM removes them";
            List<TableMaintenance> after = sweep.maintenance().get(0).tables();
            assertEquals(
                    List.of("ANALYZE \"job_run\"", "ANALYZE \"job_step\""),
                    after.stream().map(t -> t.step().statement()).toList());
            for (TableMaintenance runs : after) {
                assertEquals(
                        Step.Outcome.DONE,
                        runs.step().outcome(),
                        runs.step().message().orElse(""));
                assertEquals(
                        List.of(leftForLater.formatted(runs.table())),
                        runs.step().warnings());
            }
            assertEquals(11_000, after.get(0).after().orElseThrow().deadRows());
            assertEquals(1_000, after.get(0).after().orElseThrow().liveRows());
            assertEquals(22_000, deadRows(url, "job_step"));
        });
    }

    /**
     * Rows deleted while a dashboard's transaction is open stay dead through the maintenance job's VACUUM: the
     * report says how many, and whose snapshot keeps them. Once it ends, the next VACUUM removes them.
     */
    @Test
    void deadRowsAVacuumHadToLeaveAreExplainedByTheSnapshotHeldSinceBeforeIt() throws Exception {
        whileADashboardHoldsASnapshot((database, settings, url, holder) -> {
            try (Connection app = DriverManager.getConnection(url);
                    Statement a = app.createStatement()) {
                assertEquals(11_000, a.executeUpdate("DELETE FROM job_run WHERE finished < '2026-05-01'"));
                new PostgresVacuum().flushStatistics(app);
            }

            MaintenanceReport job = new Maintenance(database, settings, CLOCK).run();

            TableMaintenance runs = job.tables().get(0);
            assertEquals("VACUUM (ANALYZE) \"job_run\"", runs.step().statement());
            assertEquals(
                    Step.Outcome.DONE,
                    runs.step().outcome(),
                    runs.step().message().orElse(""));
            assertEquals(11_000, runs.after().orElseThrow().deadRows());
            assertEquals(
                    List.of("11,000 dead rows were left: VACUUM removes a row only once no transaction may still"
                            + " see it, and " + holder + " has held a snapshot since before this VACUUM began."
                            + " Once it ends, the next VACUUM removes them"),
                    runs.step().warnings());
        });
    }

    /**
     * What PostgreSQL does not count as holding this database's dead rows is not named either, nor keeps the
     * VACUUM after a purge from running: a snapshot held in another database, and another table's VACUUM (whose
     * own snapshot shows in pg_stat_activity), both since before the purge.
     */
    @Test
    void aSnapshotInAnotherDatabaseOrAnotherTablesVacuumDoesNotHoldThePurgesVacuumBack() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database database = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                seed(c);
                s.execute("CREATE TABLE big (id int, body text) WITH (autovacuum_enabled = false)");
                s.execute("INSERT INTO big SELECT g, repeat('b', 200) FROM generate_series(1, 50000) g");
                s.execute("DELETE FROM big WHERE id % 2 = 0");
            }
            Settings settings = settings();
            ExecutorService slowVacuum = Executors.newSingleThreadExecutor();
            try (Connection elsewhere = DriverManager.getConnection(TestPostgres.newDatabase());
                    Statement e = elsewhere.createStatement();
                    Connection vacuuming = DriverManager.getConnection(url);
                    Statement v = vacuuming.createStatement()) {
                e.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
                e.executeQuery("SELECT 1").close();
                v.execute("SET vacuum_cost_delay = 100");
                v.execute("SET vacuum_cost_limit = 1");
                long vacuumPid;
                try (ResultSet rs = v.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    vacuumPid = rs.getLong(1);
                }
                Future<?> bigVacuum = slowVacuum.submit(() -> {
                    v.execute("VACUUM big");
                    return null;
                });
                try (Connection admin = DriverManager.getConnection(url);
                        Statement a = admin.createStatement()) {
                    awaitVacuumWithSnapshot(a, vacuumPid);

                    SweepReport sweep = new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                            .withMaintenance(settings.maintenance())
                            .run(settings.enabledPolicies(), false, PurgeProgress.NONE);

                    List<TableMaintenance> after = sweep.maintenance().get(0).tables();
                    assertEquals(
                            List.of("VACUUM (ANALYZE) \"job_run\"", "VACUUM (ANALYZE) \"job_step\""),
                            after.stream().map(t -> t.step().statement()).toList());
                    for (TableMaintenance runs : after) {
                        assertEquals(List.of(), runs.step().warnings());
                        assertEquals(0, runs.after().orElseThrow().deadRows());
                    }
                    a.execute("SELECT pg_cancel_backend(" + vacuumPid + ")");
                }
                assertThrows(ExecutionException.class, () -> bigVacuum.get(30, TimeUnit.SECONDS));
                e.execute("COMMIT");
            } finally {
                slowVacuum.shutdownNow();
            }
        }
    }

    /** What a test does while a dashboard's snapshot is held, given the holder as the report names it. */
    @FunctionalInterface
    private interface WhileHeld {
        void run(Database database, Settings settings, String url, String holder) throws Exception;
    }

    /**
     * Seeds a new database, has a dashboard take a REPEATABLE READ snapshot that has read job_run, runs
     * {@code test}, ends the dashboard's transaction, and checks that the maintenance job's VACUUM then leaves no
     * dead row in job_run, and no warning.
     */
    private void whileADashboardHoldsASnapshot(WhileHeld test) throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database database = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
            try (Connection c = database.connection()) {
                seed(c);
            }
            Settings settings = settings();
            try (Connection dashboard = DriverManager.getConnection(url + "&ApplicationName=dashboard");
                    Statement d = dashboard.createStatement()) {
                long pid = TestPostgres.holdSnapshot(d);
                try (ResultSet rs = d.executeQuery("SELECT count(*) FROM job_run")) {
                    rs.next();
                    assertEquals(12_000, rs.getLong(1));
                }
                test.run(
                        database,
                        settings,
                        url,
                        "session pid " + pid + " (role postgres, application dashboard, idle in transaction since "
                                + transactionStart(url, pid) + ")");
                d.execute("COMMIT");
            }

            MaintenanceReport job = new Maintenance(database, settings, CLOCK).run();

            TableMaintenance runs = job.tables().get(0);
            assertEquals("VACUUM (ANALYZE) \"job_run\"", runs.step().statement());
            assertEquals(0, runs.after().orElseThrow().deadRows());
            assertEquals(List.of(), runs.step().warnings());
        }
    }

    /** When the session's transaction began, as the report shows it. */
    private static Instant transactionStart(String url, long pid) throws Exception {
        try (Connection admin = DriverManager.getConnection(url);
                Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT xact_start FROM pg_stat_activity WHERE pid = " + pid)) {
            rs.next();
            return rs.getTimestamp(1).toInstant().truncatedTo(ChronoUnit.SECONDS);
        }
    }

    /** Waits until the session is in a VACUUM that shows a snapshot in pg_stat_activity. */
    private static void awaitVacuumWithSnapshot(Statement admin, long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = admin.executeQuery("SELECT backend_xmin IS NOT NULL FROM pg_stat_activity a"
                    + " JOIN pg_stat_progress_vacuum p USING (pid) WHERE pid = " + pid)) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the VACUUM of big never showed a snapshot");
    }

    /**
     * Another session holds a lock ANALYZE and VACUUM wait for (as an autovacuum that prevents wraparound does, for
     * hours, and is not cancelled for them): the statement waits the lock timeout and is skipped, naming the
     * holder, and the run does not fail; once the lock is gone the next run does it.
     */
    @Test
    void aStatementThatWaitsOutTheLockTimeoutIsSkippedNamingWhoHeldTheTable() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database database = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
            try (Connection c = database.connection()) {
                seed(c);
            }
            Settings settings = TestSettings.load(
                    dir,
                    "runsweep.database.lock-timeout = 300ms",
                    "runsweep.policies.old-runs { table = job_run, time-column = finished, older-than = 30d }");
            try (Connection migrate = DriverManager.getConnection(url + "&ApplicationName=migrate");
                    Statement m = migrate.createStatement()) {
                m.execute("BEGIN");
                m.execute("LOCK TABLE job_run IN SHARE UPDATE EXCLUSIVE MODE");
                long pid;
                try (ResultSet rs = m.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getLong(1);
                }

                MaintenanceReport locked = new Maintenance(database, settings, CLOCK).run();

                TableMaintenance runs = locked.tables().get(0);
                assertEquals(
                        new Step(
                                "ANALYZE \"job_run\"",
                                "scheduled ANALYZE: fresh statistics for the planner",
                                Step.Outcome.SKIPPED,
                                Duration.ZERO,
                                Optional.of("skipped: it waited database.lock-timeout (300 ms) for its lock on"
                                        + " \"job_run\", held by pid " + pid + " (user postgres, application"
                                        + " \"migrate\", ShareUpdateExclusiveLock: SELECT pg_backend_pid()); the next"
                                        + " run tries again"),
                                List.of()),
                        runs.step());
                assertEquals(1, locked.skipped());
                assertEquals(
                        List.of(Step.Outcome.SKIPPED, Step.Outcome.DONE),
                        locked.tables().stream().map(t -> t.step().outcome()).toList());
                assertEquals(false, locked.anyFailed());
                m.execute("COMMIT");
            }

            MaintenanceReport free = new Maintenance(database, settings, CLOCK).run();

            assertEquals(Step.Outcome.DONE, free.tables().get(0).step().outcome());
            assertEquals(0, free.skipped());
        }
    }

    @Test
    void aShortDiskIsARefusalThatGivesBothNumbers() {
        FreeDisk.Room room = FreeDisk.Room.known(4_000, Path.of("/var/lib/postgresql/data/base/16384"));
        assertEquals(
                Optional.of("VACUUM FULL of \"log\" refused: it needs about 1,048,576 bytes (1.0 MiB) of free"
                        + " disk, and /var/lib/postgresql/data/base/16384 has 4,000 bytes (3.9 KiB) free"),
                FreeDisk.shortfall("VACUUM FULL of \"log\"", 1_048_576, room));
        assertEquals(Optional.empty(), FreeDisk.shortfall("VACUUM FULL of \"log\"", 4_000, room));
    }
}
