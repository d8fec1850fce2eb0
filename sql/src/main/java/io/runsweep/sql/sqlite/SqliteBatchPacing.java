package io.runsweep.sql.sqlite;

import io.runsweep.sql.BatchPacing;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A purge's batches beside a server that writes the same SQLite file.
 *
 * <p>A writer that finds the write lock taken does not queue: SQLite's busy handler sleeps and tries again, 1, 2,
 * 5, 10, 15, 20, 25, 25, 25, 50, 50 ms apart and then every 100 ms, until its busy timeout. If the next batch took
 * the lock again at once, a waiting writer would miss every chance and fail with "database is locked". So after a
 * batch that held the lock for {@code held}, the lock stays free for the sleep a writer waiting since the batch
 * began is in, and a little more: its next try then finds it free.
 *
 * <p>The checkpoint that copies the batch's pages into the database file runs in that pause, on this connection
 * (its automatic checkpoint is off during the purge): it holds no write lock, so it costs the writers nothing, it
 * keeps the log from growing, and it leaves the server's own commits no pages to checkpoint.
 */
final class SqliteBatchPacing implements BatchPacing {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteBatchPacing.class);

    /** SQLite's default busy handler: the sleeps between tries, and when each one starts (sqliteDefaultBusyCallback). */
    private static final long[] SLEEPS_MS = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};

    private static final long[] STARTS_MS = {0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228};
    /** For the writer's thread to wake up and take the lock. */
    private static final Duration WAKE_UP = Duration.ofMillis(5);
    /** SQLite's default wal_autocheckpoint, given back to the connection after the purge. */
    private static final int DEFAULT_AUTOCHECKPOINT = 1000;

    @Override
    public void beforeBatch(Connection connection) throws SQLException {
        setAutocheckpoint(connection, 0);
    }

    @Override
    public Duration afterBatch(Connection connection, Duration held) {
        long started = System.nanoTime();
        try {
            checkpoint(connection);
        } catch (SQLException e) {
            // The batch is committed; a checkpoint that could not run is left to the next one.
            LOG.warn("checkpoint after a purge batch failed: {}", e.getMessage());
        }
        Duration checkpoint = Duration.ofNanos(System.nanoTime() - started);
        Duration rest = pause(held).minus(checkpoint);
        return rest.isNegative() ? Duration.ZERO : rest;
    }

    @Override
    public void finish(Connection connection) throws SQLException {
        setAutocheckpoint(connection, DEFAULT_AUTOCHECKPOINT);
    }

    /** How long the lock must stay free after a batch that held it for {@code held}. */
    static Duration pause(Duration held) {
        long millis = held.toMillis();
        long sleep = SLEEPS_MS[SLEEPS_MS.length - 1];
        for (int i = STARTS_MS.length - 1; i >= 0; i--) {
            if (millis >= STARTS_MS[i]) {
                sleep = SLEEPS_MS[i];
                break;
            }
        }
        return Duration.ofMillis(sleep).plus(WAKE_UP);
    }

    /** PASSIVE: copies what no reader still needs, waits for nobody, takes no write lock. */
    private static void checkpoint(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
        }
    }

    private static void setAutocheckpoint(Connection connection, int frames) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = " + frames);
        }
    }
}
