package io.runsweep.sql.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Between a purge's batches on SQLite: the checkpoint runs there, and the lock stays free for a waiting writer. */
class SqliteBatchPacingTest {
    @TempDir
    Path dir;

    @Test
    void theLockStaysFreeForTheSleepAWriterWaitingSinceTheBatchBeganIsIn() {
        assertEquals(Duration.ofMillis(6), SqliteBatchPacing.pause(Duration.ZERO));
        assertEquals(Duration.ofMillis(15), SqliteBatchPacing.pause(Duration.ofMillis(10)));
        assertEquals(Duration.ofMillis(30), SqliteBatchPacing.pause(Duration.ofMillis(100)));
        assertEquals(Duration.ofMillis(55), SqliteBatchPacing.pause(Duration.ofMillis(150)));
        assertEquals(Duration.ofMillis(55), SqliteBatchPacing.pause(Duration.ofMillis(227)));
        assertEquals(Duration.ofMillis(105), SqliteBatchPacing.pause(Duration.ofMillis(228)));
        assertEquals(Duration.ofMillis(105), SqliteBatchPacing.pause(Duration.ofSeconds(3)));
    }

    @Test
    void theBatchsPagesReachTheDatabaseFileInThePauseAndTheConnectionIsGivenBack() throws Exception {
        Path file = dir.resolve("prefect.db");
        try (Database db = Databases.open(
                        DatabaseUrl.ofSqliteFile(file),
                        TestDatabases.options().withPoolSize(1).withCreateIfMissing(true));
                Connection c = db.connection()) {
            execute(c, "CREATE TABLE log (id INTEGER PRIMARY KEY, message TEXT)");
            execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            SqliteBatchPacing pacing = new SqliteBatchPacing();

            pacing.beforeBatch(c);
            assertEquals(0, scalar(c, "PRAGMA wal_autocheckpoint"));
            execute(c, "INSERT INTO log (message) SELECT 'line ' || value FROM json_each('[1,2,3,4,5,6,7,8,9]')");
            assertEquals(0, rowsInTheFileAlone(file), "committed, not yet checkpointed");

            Duration rest = pacing.afterBatch(c, Duration.ofMillis(100));

            assertEquals(9, rowsInTheFileAlone(file), "checkpointed in the pause");
            assertTrue(rest.compareTo(Duration.ofMillis(30)) <= 0, rest.toString());
            pacing.finish(c);
            assertEquals(1000, scalar(c, "PRAGMA wal_autocheckpoint"));
        }
    }

    /** The rows a copy of the database file holds without its write-ahead log: what checkpoints put there. */
    private long rowsInTheFileAlone(Path file) throws Exception {
        Path copy = dir.resolve("copy-" + System.nanoTime() + ".db");
        Files.copy(file, copy);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            return scalar(c, "SELECT count(*) FROM log");
        }
    }

    private static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
