package io.runsweep.sql.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.TableName;
import io.runsweep.sql.TableStats;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** VACUUM, its figures and the server's file facts on a real PostgreSQL. */
class PostgresVacuumTest {
    private final PostgresVacuum vacuum = new PostgresVacuum();

    @Test
    void vacuumRemovesTheDeadRowsThatTheStatisticsCount() throws Exception {
        try (Database db = Databases.open(DatabaseUrl.parse(TestPostgres.newDatabase()), TestDatabases.options());
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            TableName table = TableName.of("Runs");
            s.execute("CREATE TABLE \"Runs\" (id int PRIMARY KEY, body text) WITH (autovacuum_enabled = false)");
            s.execute("INSERT INTO \"Runs\" SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g");
            s.execute("DELETE FROM \"Runs\" WHERE id > 1000");
            vacuum.flushStatistics(c);

            TableStats before = vacuum.stats(c, table);
            assertEquals(List.of(1000L, 4000L), List.of(before.liveRows(), before.deadRows()));
            assertEquals(0.8, before.deadFraction(), 1e-9);

            List<String> warnings = vacuum.run(c, vacuum.vacuum(table), Duration.ofSeconds(2));

            TableStats after = vacuum.stats(c, table);
            assertEquals(List.of(), warnings);
            assertEquals(0, after.deadRows());
            assertEquals(1000, after.liveRows());
            assertTrue(after.totalBytes() < before.totalBytes(), before + " -> " + after);
            assertEquals("VACUUM (ANALYZE) \"Runs\"", vacuum.vacuum(table).text());
            assertEquals(
                    "VACUUM (FULL, ANALYZE) \"Runs\"", vacuum.vacuumFull(table).text());
            assertEquals("ANALYZE \"Runs\"", vacuum.analyze(table).text());
        }
    }

    /**
     * A transaction that takes its snapshot once the transaction id was read, and is still running, does not hold
     * back rows deleted before it; one whose snapshot is older does. The running one's own id makes the next id to
     * be given out and the newest completed one differ, which an age counted from one and compared with the other
     * would take for an older snapshot.
     */
    @Test
    void aSnapshotIsHeldSinceBeforeATransactionIdOnlyWhenItsXminIsOlder() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection sweeper = DriverManager.getConnection(url);
                Connection older = DriverManager.getConnection(url + "&ApplicationName=older");
                Statement o = older.createStatement();
                Connection newer = DriverManager.getConnection(url + "&ApplicationName=newer");
                Statement n = newer.createStatement()) {
            long olderPid = TestPostgres.holdSnapshot(o);
            try (Statement s = sweeper.createStatement()) {
                s.execute("SELECT txid_current()");
            }
            long next = vacuum.nextXid(sweeper);
            TestPostgres.holdSnapshot(n);
            n.execute("SELECT txid_current()");

            assertEquals(
                    "session pid " + olderPid + " (role postgres, application older)",
                    vacuum.snapshotHeldSince(sweeper, next)
                            .orElseThrow()
                            .describe()
                            .replaceAll(", idle in transaction since .*\\)$", ")"));
            o.execute("COMMIT");
            assertEquals(Optional.empty(), vacuum.snapshotHeldSince(sweeper, next));
            n.execute("COMMIT");
        }
    }

    /** VACUUM sets its own lock_timeout for its run, then gives the session back the one its pool set. */
    @Test
    void theSessionsLockTimeoutIsBackAfterAVacuum() throws Exception {
        try (Database db = Databases.open(
                        DatabaseUrl.parse(TestPostgres.newDatabase()),
                        TestDatabases.options().withLockTimeout(Duration.ofMillis(750)));
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int)");

            vacuum.run(c, vacuum.vacuum(TableName.of("t")), Duration.ofSeconds(2));

            try (var rs = s.executeQuery("SHOW lock_timeout")) {
                rs.next();
                assertEquals("750ms", rs.getString(1));
            }
        }
    }

    @Test
    void refusesToVacuumInsideATransaction() throws Exception {
        try (Database db = Databases.open(DatabaseUrl.parse(TestPostgres.newDatabase()), TestDatabases.options());
                Connection c = db.connection()) {
            c.setAutoCommit(false);
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> vacuum.run(c, vacuum.analyze(TableName.of("t")), Duration.ofSeconds(1)));
            assertEquals("VACUUM and ANALYZE must run on an auto-commit connection", e.getMessage());
            c.rollback();
        }
    }

    @Test
    void serverFilesPointAtTheTablesOwnFile() throws Exception {
        assumeTrue(TestPostgres.embedded(), "reads the server's data directory: only a local, embedded server has one");
        try (Database db = Databases.open(DatabaseUrl.parse(TestPostgres.newDatabase()), TestDatabases.options());
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int)");
            ServerFiles files = vacuum.serverFiles(c, TableName.of("t"));
            assertTrue(Files.isRegularFile(files.dataDirectory().resolve(files.relationPath())), files.toString());
            assertEquals(TestPostgres.port(), files.port());
        }
    }
}
