package io.runsweep.jobs.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.sqlite.SqlitePragmas;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite maintenance on real files: the free pages and bytes it gives back, and what it will not do. */
class SqliteMaintenanceTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    /** What the job runs on a file whose auto_vacuum is INCREMENTAL, each step done. */
    static final List<String> INCREMENTAL_STEPS_DONE =
            List.of("PRAGMA optimize DONE", "PRAGMA incremental_vacuum DONE", "PRAGMA wal_checkpoint(TRUNCATE) DONE");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("prefect.db");
    }

    /**
     * 20,000 log rows, 18,000 of them old. {@code autoVacuum} is set as a database's creator sets it: before
     * anything is written, which rules out Runsweep's own connections (they switch the file to WAL first).
     */
    private void seed(String autoVacuum) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement s = c.createStatement()) {
            s.execute("PRAGMA auto_vacuum = " + autoVacuum);
            s.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, timestamp DATETIME NOT NULL, message TEXT NOT NULL)");
            s.execute("CREATE INDEX ix_log__timestamp ON log (timestamp)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
                    + " INSERT INTO log SELECT i, CASE WHEN i <= 18000 THEN '2026-01-01 00:00:00.000000'"
                    + " ELSE '2026-05-31 00:00:00.000000' END, printf('%.300c', 'm') FROM n");
        }
    }

    private Settings settings(String... maintenance) throws Exception {
        return TestSettings.load(
                dir,
                "runsweep.maintenance {",
                String.join("\n", maintenance),
                "}",
                "runsweep.policies.logs { table = log, time-column = timestamp, older-than = 30d, batch-size = 5000 }");
    }

    private static void sweep(Database database, Settings settings) {
        SweepReport report = new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                .withMaintenance(settings.maintenance())
                .run(settings.enabledPolicies(), false, PurgeProgress.NONE);
        assertEquals(18_000, report.policies().get(0).rows("log"));
        assertEquals(List.of(), report.maintenance(), "VACUUM after a purge is PostgreSQL's");
    }

    private static List<String> statements(FileMaintenance file) {
        return file.steps().stream()
                .map(s -> s.statement() + " " + s.outcome()
                        + (s.failed() ? ": " + s.message().orElse("") : ""))
                .toList();
    }

    @Test
    void incrementalAutoVacuumGivesEveryFreePageBackAndTheFileShrinks() throws Exception {
        seed("INCREMENTAL");
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            Settings settings = settings();
            sweep(database, settings);

            MaintenanceReport report = new Maintenance(database, settings, CLOCK).run();

            FileMaintenance file = report.file().orElseThrow();
            assertEquals(INCREMENTAL_STEPS_DONE, statements(file));
            assertEquals(file().toString(), file.file());
            FileStats before = file.before();
            FileStats after = file.after().orElseThrow();
            assertEquals(FileStats.AUTO_VACUUM_INCREMENTAL, before.autoVacuum());
            assertTrue(before.freePages() > 1000, before.toString());
            assertEquals(0, after.freePages());
            assertTrue(after.fileBytes() < before.fileBytes() / 4, before + " -> " + after);
            assertEquals(after.pageCount() * after.pageSize(), after.fileBytes());
            assertEquals(Files.size(file()), after.fileBytes());
            assertEquals(0, after.walBytes());
            assertEquals(
                    "auto_vacuum is INCREMENTAL: cut the " + String.format("%,d", before.freePages())
                            + " free pages off the file",
                    file.steps().get(1).reason());
            assertEquals(List.of(), report.notes());
            assertEquals(false, report.anyFailed());
        }
    }

    @Test
    void afterAStopNoStatementStartsAndEachSaysWhy() throws Exception {
        seed("INCREMENTAL");
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            Settings settings = settings();
            sweep(database, settings);
            StopSignal stop = new StopSignal();
            stop.raise("the test");

            MaintenanceReport report = new Maintenance(database, settings, CLOCK, stop).run();

            FileMaintenance file = report.file().orElseThrow();
            assertEquals(
                    List.of(
                            "PRAGMA optimize SKIPPED",
                            "PRAGMA incremental_vacuum SKIPPED",
                            "PRAGMA wal_checkpoint(TRUNCATE) SKIPPED"),
                    statements(file));
            file.steps()
                    .forEach(step ->
                            assertEquals(Optional.of("not run: stopped by the test before it began"), step.message()));
            assertTrue(file.before().freePages() > 1000, file.before().toString());
            assertEquals(file.before().freePages(), file.after().orElseThrow().freePages());
            assertEquals(false, report.anyFailed());
        }
    }

    @Test
    void withoutAutoVacuumFreePagesStayAndTheReportSaysHowToGetThemBack() throws Exception {
        seed("NONE");
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            Settings settings = settings();
            sweep(database, settings);

            MaintenanceReport report = new Maintenance(database, settings, CLOCK).run();

            FileMaintenance file = report.file().orElseThrow();
            assertEquals(List.of("PRAGMA optimize DONE", "PRAGMA wal_checkpoint(TRUNCATE) DONE"), statements(file));
            long free = file.before().freePages();
            assertTrue(free > 1000, file.before().toString());
            assertEquals(file.before().pageCount(), file.after().orElseThrow().pageCount());
            assertEquals(
                    List.of(String.format("%,d", free) + " free pages (" + Formats.bytes(free * 4096) + ") stay inside"
                            + " prefect.db: new rows reuse them, but the file only shrinks by a full VACUUM"
                            + " (runsweep.maintenance.sqlite.full-vacuum = true)"),
                    report.notes());
        }
    }

    @Test
    void fullVacuumRewritesTheFileWithoutItsFreePages() throws Exception {
        seed("NONE");
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            Settings settings = settings("sqlite.full-vacuum = true");
            sweep(database, settings);

            MaintenanceReport report = new Maintenance(database, settings, CLOCK).run();

            FileMaintenance file = report.file().orElseThrow();
            assertEquals(
                    List.of("PRAGMA optimize DONE", "VACUUM DONE", "PRAGMA wal_checkpoint(TRUNCATE) DONE"),
                    statements(file));
            FileStats before = file.before();
            FileStats after = file.after().orElseThrow();
            assertTrue(before.freePages() > 1000, before.toString());
            assertEquals(0, after.freePages());
            assertTrue(after.fileBytes() < before.fileBytes() / 4, before + " -> " + after);
            assertEquals(Files.size(file()), after.fileBytes());
            assertEquals(0, after.walBytes());
            try (Connection c = database.connection();
                    Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM log")) {
                rs.next();
                assertEquals(2_000, rs.getLong(1));
            }
        }
    }

    @Test
    void theDryRunOnlyReadsAndShowsWhatWouldRun() throws Exception {
        seed("INCREMENTAL");
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            Settings settings = settings("sqlite.full-vacuum = true");
            sweep(database, settings);
            long size = Files.size(file());

            MaintenanceReport report;
            try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
                report = new Maintenance(readOnly, settings, CLOCK).run(true);
            }

            FileMaintenance file = report.file().orElseThrow();
            assertEquals(
                    List.of(
                            "PRAGMA optimize PLANNED",
                            "PRAGMA incremental_vacuum PLANNED",
                            "VACUUM PLANNED",
                            "PRAGMA wal_checkpoint(TRUNCATE) PLANNED"),
                    statements(file));
            assertEquals(Optional.empty(), file.after());
            assertTrue(file.before().freePages() > 1000, file.before().toString());
            assertEquals(size, Files.size(file()));
            try (Connection c = database.connection();
                    Statement s = c.createStatement();
                    var rs = s.executeQuery("PRAGMA freelist_count")) {
                rs.next();
                assertEquals(file.before().freePages(), rs.getLong(1));
            }
        }
    }

    /** While the server holds the write lock, VACUUM waits the busy timeout, then gives way and says so. */
    @Test
    void fullVacuumGivesWayToTheServerAfterTheBusyTimeout() throws Exception {
        Path db = file();
        seed("NONE");
        try (Database database = Databases.open(
                DatabaseUrl.ofSqliteFile(db), TestDatabases.options().withBusyTimeout(Duration.ofMillis(300)))) {
            Settings settings = settings("sqlite.full-vacuum = true");
            sweep(database, settings);
            try (Connection server = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement s = server.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("INSERT INTO log VALUES (30000, '2026-05-31 00:00:00.000000', 'server')");

                MaintenanceReport report = new Maintenance(database, settings, CLOCK).run();

                Step vacuum = report.file().orElseThrow().steps().get(1);
                assertEquals("VACUUM", vacuum.statement());
                assertEquals(Step.Outcome.FAILED, vacuum.outcome());
                assertTrue(
                        vacuum.message()
                                .orElseThrow()
                                .startsWith("VACUUM failed: error code 5: [SQLITE_BUSY] The database file is locked"),
                        vacuum.message().orElseThrow());
                assertTrue(
                        vacuum.message()
                                .orElseThrow()
                                .endsWith("(the server held the database for longer than"
                                        + " database.busy-timeout; the next run tries again)"),
                        vacuum.message().orElseThrow());
                assertEquals(true, report.anyFailed());
                s.execute("COMMIT");
            }
        }
    }

    /**
     * A TRUNCATE checkpoint holds the write lock while it waits for readers of the log. A reader that keeps its
     * snapshot (a dashboard's long query) kept it waiting the whole busy timeout, and the server's writes with it:
     * a server whose own timeout is shorter failed. The checkpoint waits a moment, gives way, and says so; once
     * the reader is done, the next one empties the log.
     */
    @Test
    void theLastCheckpointGivesWayToAReaderWithoutHoldingTheServersWritesOff() throws Exception {
        Path db = file();
        seed("NONE");
        try (Database database = Databases.open(
                DatabaseUrl.ofSqliteFile(db), TestDatabases.options().withBusyTimeout(Duration.ofSeconds(5)))) {
            Settings settings = settings();
            sweep(database, settings);
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement r = reader.createStatement()) {
                r.execute("BEGIN");
                try (ResultSet rs = r.executeQuery("SELECT count(*) FROM log")) {
                    rs.next();
                    assertEquals(2_000, rs.getLong(1));
                }
                ServerWriter server = ServerWriter.start(db, Duration.ofSeconds(1));
                MaintenanceReport report;
                try {
                    report = new Maintenance(database, settings, CLOCK).run();
                } finally {
                    server.stop();
                }

                assertEquals(List.of(), server.failures());
                Step checkpoint = report.file().orElseThrow().steps().get(1);
                assertEquals(SqlitePragmas.CHECKPOINT, checkpoint.statement());
                assertEquals(Step.Outcome.DONE, checkpoint.outcome());
                assertTrue(
                        checkpoint.message().orElseThrow().startsWith("another connection kept it from finishing ("),
                        checkpoint.message().orElseThrow());
                assertTrue(report.file().orElseThrow().after().orElseThrow().walBytes() > 0);
                r.execute("COMMIT");
            }

            MaintenanceReport again = new Maintenance(database, settings, CLOCK).run();

            Step checkpoint = again.file().orElseThrow().steps().get(1);
            assertEquals(Optional.empty(), checkpoint.message());
            assertEquals(0, again.file().orElseThrow().after().orElseThrow().walBytes());
        }
    }

    /**
     * An incremental vacuum of 36,000 scattered free pages moves pages in 37 transactions; a server's writer beside
     * it, with a 500 ms busy timeout, gets in between them (each commit's automatic checkpoint leaves the lock free
     * for a while) and never fails. Tried when this test was written: a pause after each transaction, as a purge's
     * batches make, was not needed.
     */
    @Test
    void anIncrementalVacuumOfManyPagesLetsTheServerWriteBetweenItsTransactions() throws Exception {
        Path db = file();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA auto_vacuum = INCREMENTAL");
            s.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, timestamp DATETIME NOT NULL, message TEXT NOT NULL)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120000)"
                    + " INSERT INTO log SELECT i, '2026-01-01 00:00:00.000000', printf('%.1200c', 'm') FROM n");
            s.execute("DELETE FROM log WHERE id % 12 <> 0");
        }
        try (Database database = Databases.open(
                DatabaseUrl.ofSqliteFile(db), TestDatabases.options().withBusyTimeout(Duration.ofSeconds(5)))) {
            ServerWriter server = ServerWriter.start(db, Duration.ofMillis(500));
            MaintenanceReport report;
            try {
                report = new Maintenance(database, settings(), CLOCK).run();
            } finally {
                server.stop();
            }

            assertEquals(List.of(), server.failures());
            FileMaintenance file = report.file().orElseThrow();
            assertEquals(INCREMENTAL_STEPS_DONE, statements(file));
            assertTrue(file.before().freePages() > 30_000, file.before().toString());
            assertEquals(
                    Optional.of(String.format("%,d pages freed", file.before().freePages())),
                    file.steps().get(1).message());
            assertEquals(0, file.after().orElseThrow().freePages());
            assertTrue(server.writes() > 0);
        }
    }

    /** The scheduler's server: one insert every 5 ms, each waiting at most its busy timeout for the lock. */
    private static final class ServerWriter {
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicLong writes = new AtomicLong();
        private final Thread thread;

        private ServerWriter(Path db, Duration busyTimeout) {
            thread = new Thread(() -> {
                try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + db);
                        Statement w = writer.createStatement()) {
                    w.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
                    for (int id = 1_000_000; !done.get(); id++) {
                        try {
                            w.execute("INSERT INTO log VALUES (" + id + ", '2026-05-31 00:00:00.000000', 'server')");
                            writes.incrementAndGet();
                        } catch (SQLException e) {
                            failures.add(e.getMessage());
                        }
                        Thread.sleep(5);
                    }
                } catch (SQLException | InterruptedException e) {
                    failures.add(e.toString());
                }
            });
        }

        static ServerWriter start(Path db, Duration busyTimeout) throws InterruptedException {
            ServerWriter writer = new ServerWriter(db, busyTimeout);
            writer.thread.start();
            Thread.sleep(50);
            return writer;
        }

        void stop() throws InterruptedException {
            Thread.sleep(50);
            done.set(true);
            thread.join();
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        long writes() {
            return writes.get();
        }
    }

    @Test
    void aShortDiskRefusesTheVacuumWithBothNumbers() {
        FreeDisk.Room room = FreeDisk.Room.known(10_000, Path.of("/data"));
        assertEquals(
                Optional.of("VACUUM of prefect.db refused: it needs about 52,428,800 bytes (50.0 MiB) of free"
                        + " disk, and /data has 10,000 bytes (9.8 KiB) free"),
                FreeDisk.shortfall("VACUUM of prefect.db", 52_428_800, room));
    }
}
