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
        try (Database db = open(file);
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

    /**
     * A server committing all the time (every millisecond or so) commits while each pause's checkpoint runs, so the
     * checkpoint never copies every frame and no write transaction starts the log over: it grew by every page of
     * every batch (1.9 GB for a 300 MB database in the bench). The server's own automatic checkpoint is off here, so
     * that only the purge's checkpoints can bring the log back; a server whose commits checkpoint may do it by
     * chance.
     */
    @Test
    void aBusyServerDoesNotKeepTheLogFromStartingOver() throws Exception {
        Path file = dir.resolve("busy.db");
        long window = 1L << 20;
        try (Database db = open(file);
                Connection c = db.connection()) {
            execute(c, "CREATE TABLE log (id TEXT PRIMARY KEY, message TEXT NOT NULL)");
            execute(
                    c,
                    numbers(30_000)
                            + " INSERT INTO log SELECT lower(hex(randomblob(16))), printf('seed %-90d', i) FROM g");
            execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            SqliteBatchPacing pacing = new SqliteBatchPacing(window);
            long busyTimeout = scalar(c, "PRAGMA busy_timeout");
            Path wal = Path.of(file + "-wal");
            long largestLog = 0;
            try (BusyServer server = BusyServer.start(file)) {
                for (int batch = 0; batch < 15; batch++) {
                    pacing.beforeBatch(c);
                    long began = System.nanoTime();
                    c.setAutoCommit(false);
                    execute(
                            c,
                            "DELETE FROM log WHERE rowid IN (SELECT rowid FROM log WHERE message LIKE 'seed%'"
                                    + " ORDER BY rowid LIMIT 2000)");
                    c.commit();
                    c.setAutoCommit(true);
                    largestLog = Math.max(largestLog, Files.size(wal));
                    Duration rest = pacing.afterBatch(c, Duration.ofNanos(System.nanoTime() - began));
                    Thread.sleep(rest.toMillis());
                }
                assertTrue(server.stop() > 20, "the server wrote throughout");
                pacing.finish(c);
            }
            assertEquals(0, scalar(c, "SELECT count(*) FROM log WHERE message LIKE 'seed%'"));
            assertEquals(busyTimeout, scalar(c, "PRAGMA busy_timeout"), "the connection's own busy timeout again");
            // A batch writes about 400 frames (1.6 MB); the log starts over after each, or after the next where
            // the server held the lock just then. Before, it reached about 24 MB.
            assertTrue(largestLog < 6 * window, "the log reached " + largestLog + " bytes");
            execute(c, "INSERT INTO log VALUES ('after', 'the server writes again')");
            long frames = walFrames(c);
            assertTrue(frames < 10, "the first write after the purge started the log over: " + frames + " frames");
        }
    }

    /**
     * A reader keeps the frames its snapshot needs: the log cannot start over until it is done, so the pause does
     * not take the write lock to try (once the reader was done, that checkpoint would have copied everything the
     * reader had kept while holding the server off: a writer waited 2 s).
     */
    @Test
    void aReaderThatKeepsOldFramesIsNotWaitedForHoldingTheLock() throws Exception {
        Path file = dir.resolve("read.db");
        try (Database db = open(file);
                Connection c = db.connection()) {
            execute(c, "CREATE TABLE log (id INTEGER PRIMARY KEY, message TEXT)");
            execute(c, numbers(2000) + " INSERT INTO log (message) SELECT printf('%-200d', i) FROM g");
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                reader.setAutoCommit(false);
                assertEquals(2000, scalar(reader, "SELECT count(*) FROM log"), "its snapshot, held");
                SqliteBatchPacing pacing = new SqliteBatchPacing(1);
                pacing.beforeBatch(c);
                execute(c, "DELETE FROM log WHERE id <= 1000");

                Duration rest = pacing.afterBatch(c, Duration.ZERO);

                assertTrue(
                        rest.compareTo(SqliteBatchPacing.pause(Duration.ZERO)) <= 0,
                        "no checkpoint held the lock, so no writer needs a turn after it: " + rest);
                assertTrue(walFrames(c) > 0, "the log keeps what the reader needs");
                reader.rollback();
            }
        }
    }

    /** Inserts a row in its own transaction again and again, a millisecond apart, as a busy server does. */
    private static final class BusyServer implements AutoCloseable {
        private final Connection connection;
        private final Thread thread;
        private volatile boolean running = true;
        private long inserts;
        private Exception failure;

        private BusyServer(Connection connection) {
            this.connection = connection;
            this.thread = new Thread(this::loop, "busy-server");
        }

        static BusyServer start(Path file) throws Exception {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            execute(connection, "PRAGMA busy_timeout = 5000");
            execute(connection, "PRAGMA wal_autocheckpoint = 0");
            BusyServer server = new BusyServer(connection);
            server.thread.start();
            return server;
        }

        private void loop() {
            try (Statement s = connection.createStatement()) {
                while (running) {
                    s.execute("INSERT INTO log VALUES (lower(hex(randomblob(16))), 'server')");
                    inserts++;
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        /** Stops writing; returns how many rows it inserted, or throws what made it fail. */
        long stop() throws Exception {
            running = false;
            thread.join();
            if (failure != null) {
                throw failure;
            }
            return inserts;
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join();
            connection.close();
        }
    }

    /** A database file of the test's, opened as Runsweep opens one, on one connection. */
    private static Database open(Path file) {
        return Databases.open(
                DatabaseUrl.ofSqliteFile(file),
                TestDatabases.options().withPoolSize(1).withCreateIfMissing(true));
    }

    /** A common table expression {@code g(i)} of the numbers 1 to {@code n}. */
    private static String numbers(int n) {
        return "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < " + n + ")";
    }

    /** The rows a copy of the database file holds without its write-ahead log: what checkpoints put there. */
    private long rowsInTheFileAlone(Path file) throws Exception {
        Path copy = dir.resolve("copy-" + System.nanoTime() + ".db");
        Files.copy(file, copy);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            return scalar(c, "SELECT count(*) FROM log");
        }
    }

    /** The frames in the write-ahead log, as a checkpoint that copies them says. */
    private static long walFrames(Connection c) throws Exception {
        return SqlitePragmas.checkpoint(c, SqlitePragmas.PASSIVE_CHECKPOINT).walFrames();
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
