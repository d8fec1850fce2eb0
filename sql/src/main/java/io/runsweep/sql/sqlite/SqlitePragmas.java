package io.runsweep.sql.sqlite;

import io.runsweep.sql.FileStats;
import io.runsweep.sql.Transactions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * SQLite's maintenance statements and the figures that show what they did. Each runs on an auto-commit
 * connection (VACUUM cannot run inside a transaction), under the connection's busy timeout, so that it
 * waits that long for the server's write lock and then gives up rather than hold the server back.
 */
public final class SqlitePragmas {
    public static final String OPTIMIZE = "PRAGMA optimize";
    public static final String INCREMENTAL_VACUUM = "PRAGMA incremental_vacuum";
    public static final String VACUUM = "VACUUM";
    public static final String CHECKPOINT = "PRAGMA wal_checkpoint(TRUNCATE)";
    /** Copies what no reader still needs; waits for nobody and takes no write lock. */
    static final String PASSIVE_CHECKPOINT = "PRAGMA wal_checkpoint(PASSIVE)";
    /** Holds the write lock while it copies, so that it can copy every frame; waits as the busy timeout says. */
    static final String FULL_CHECKPOINT = "PRAGMA wal_checkpoint(FULL)";

    /**
     * The longest the maintenance job's TRUNCATE checkpoint waits for the write lock and, holding it, for readers
     * of the log: the server's writes wait as long. A server's commit holds the lock about a millisecond.
     */
    static final Duration TRUNCATE_WAIT = Duration.ofMillis(20);

    /** About 4 MB at the usual page size: a few milliseconds of the write lock. */
    static final long PAGES_PER_TRANSACTION = 1000;

    /** What {@code PRAGMA wal_checkpoint} answers: whether a reader or writer stopped it, and WAL frames. */
    public record Checkpoint(boolean blocked, long walFrames, long checkpointedFrames) {
        /** {@code -1} frames: the database is not in WAL mode, so there was nothing to do. */
        public boolean walMode() {
            return walFrames >= 0;
        }

        /**
         * Every frame the log held when the checkpoint began is in the database file: no reader kept any back and
         * no other checkpoint was running. Frames committed while it ran are not counted.
         */
        public boolean complete() {
            return !blocked && checkpointedFrames == walFrames;
        }
    }

    public FileStats stats(Connection connection, Path file) throws SQLException {
        return new SqliteStats().file(connection, file).orElseThrow();
    }

    public void optimize(Connection connection) throws SQLException {
        execute(connection, OPTIMIZE);
    }

    /**
     * Moves the free pages to the end of the file and cuts them off, where {@code auto_vacuum} is INCREMENTAL,
     * in transactions of at most {@value #PAGES_PER_TRANSACTION} pages so that the server can write in between.
     * The pragma frees one page per step of its statement, and the driver steps a statement once per
     * execution (its result rows have no columns to read), so it runs once per page.
     *
     * @return the pages freed
     */
    public long incrementalVacuum(Connection connection) throws SQLException {
        long freed = 0;
        long free = pragma(connection, "freelist_count");
        while (free > 0) {
            inOneTransaction(connection, Math.min(free, PAGES_PER_TRANSACTION));
            long left = pragma(connection, "freelist_count");
            if (left >= free) {
                break; // auto_vacuum is not INCREMENTAL after all: the pragma does nothing
            }
            freed += free - left;
            free = left;
        }
        return freed;
    }

    /**
     * The statement is closed before the commit: one stopped after a row is still in progress, and SQLite
     * refuses to commit under it. Switching auto-commit back on commits, and unlike commit() does not open
     * the next transaction (and take the write lock again) at once.
     */
    private static void inOneTransaction(Connection connection, long pages) throws SQLException {
        Transactions.commit(connection, () -> {
            try (PreparedStatement vacuum = connection.prepareStatement(INCREMENTAL_VACUUM)) {
                for (long i = 0; i < pages; i++) {
                    vacuum.execute();
                }
            }
            return null;
        });
    }

    public void vacuum(Connection connection) throws SQLException {
        execute(connection, VACUUM);
    }

    /**
     * Copies the WAL into the database file and empties it, so that the file shows its real size, holding the
     * server's writes off for a moment at most. A TRUNCATE checkpoint takes the write lock, copies, and then waits
     * for every reader of the log while still holding it: under the connection's busy timeout (5 s) a reader that
     * kept its snapshot kept the server's writes waiting that long, and a server with a shorter timeout failed. So
     * a passive pass first copies what it can without the lock (and syncs the file), and the TRUNCATE then waits
     * at most {@link #TRUNCATE_WAIT} for the lock and the readers; if a reader is still there, it gives way and
     * reports itself blocked, and the next checkpoint empties the log.
     */
    public Checkpoint checkpoint(Connection connection) throws SQLException {
        checkpoint(connection, PASSIVE_CHECKPOINT);
        return checkpointWaitingAtMost(connection, CHECKPOINT, TRUNCATE_WAIT);
    }

    /**
     * A checkpoint that takes the write lock (FULL, RESTART, TRUNCATE) under a busy timeout of {@code wait} rather
     * than the connection's: it waits that long for the lock and, holding it, for readers of the log, and the
     * server's writes wait as long. The connection's own busy timeout is given back after.
     */
    static Checkpoint checkpointWaitingAtMost(Connection connection, String pragma, Duration wait) throws SQLException {
        long busyTimeout = pragma(connection, "busy_timeout");
        setPragma(connection, "busy_timeout", wait.toMillis());
        try {
            return checkpoint(connection, pragma);
        } finally {
            setPragma(connection, "busy_timeout", busyTimeout);
        }
    }

    static Checkpoint checkpoint(Connection connection, String pragma) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(pragma)) {
            rs.next();
            return new Checkpoint(rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3));
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        if (!connection.getAutoCommit()) {
            throw new IllegalStateException(sql + " must run on an auto-commit connection");
        }
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    static long pragma(Connection connection, String name) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Sets a connection's own setting; {@code name} is one of this code's, never from configuration. */
    static void setPragma(Connection connection, String name, long value) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA " + name + " = " + value);
        }
    }
}
