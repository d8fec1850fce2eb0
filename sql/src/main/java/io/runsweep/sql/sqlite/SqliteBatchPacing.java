package io.runsweep.sql.sqlite;

import io.runsweep.sql.BatchPacing;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A purge's batches beside a server that writes the same SQLite file.
 *
 * <p>A writer that finds the write lock taken does not queue: SQLite's busy handler sleeps and tries again
 * ({@link SqliteBusyHandler}). If the next batch took
 * the lock again at once, a waiting writer would miss every chance and fail with "database is locked". So after a
 * batch that held the lock for {@code held}, the lock stays free for the sleep a writer waiting since the batch
 * began is in, and a little more: its next try then finds it free.
 *
 * <p>The checkpoint that copies the batch's pages into the database file runs in that pause, on this connection
 * (its automatic checkpoint is off during the purge): it holds no write lock, so it costs the writers nothing.
 *
 * <p>Copying the pages is not enough: the server's own commits must find nothing to checkpoint. Each of them runs a
 * checkpoint of its own once the write-ahead log holds 1,000 pages (Prefect's connections keep SQLite's
 * wal_autocheckpoint), and the log's length counts until it starts over, which SQLite does only when a write
 * transaction begins with every frame copied. So the pause makes the log start over after every batch: it copies
 * what the server committed meanwhile too, which syncs the database file, and then the last few frames while holding
 * the server's writes off, so that the next write, the server's or the purge's, starts the log over. Before, the log
 * started over once every 128 MiB; in between, the bench's writer (the server) copied pages into the file and synced
 * it in its own commits, 10 times in one purge of 140,000 rows, 592 ms of syncs, up to 85 ms in one commit.
 */
final class SqliteBatchPacing implements BatchPacing {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteBatchPacing.class);

    /** For the writer's thread to wake up and take the lock. */
    private static final Duration WAKE_UP = Duration.ofMillis(5);
    /** SQLite's default wal_autocheckpoint, given back to the connection after the purge. */
    private static final int DEFAULT_AUTOCHECKPOINT = 1000;
    /** The longest the last checkpoint of a pause waits for the write lock, or holds it waiting for readers. */
    private static final Duration FULL_CHECKPOINT_WAIT = Duration.ofMillis(10);

    private boolean batchesBegun;
    /** Read at the first batch, and given back after each time the log is made to start over. */
    private long busyTimeout;

    @Override
    public void beforeBatch(Connection connection) throws SQLException {
        if (!batchesBegun) {
            busyTimeout = SqlitePragmas.pragma(connection, "busy_timeout");
            batchesBegun = true;
        }
        SqlitePragmas.setPragma(connection, "wal_autocheckpoint", 0);
    }

    @Override
    public Duration afterBatch(Connection connection, Duration held) {
        long started = System.nanoTime();
        Duration heldAgain = Duration.ZERO;
        try {
            heldAgain = startLogOver(connection);
        } catch (SQLException e) {
            // The batch is committed; a checkpoint that could not run is left to the next one.
            LOG.warn("checkpoint after a purge batch failed: {}", e.getMessage());
        }
        Duration checkpoint = Duration.ofNanos(System.nanoTime() - started);
        Duration rest = pause(held).minus(checkpoint);
        if (!heldAgain.isZero() && rest.compareTo(pause(heldAgain)) < 0) {
            // A writer that found the lock taken by the last checkpoint sleeps too: it gets its turn as well.
            rest = pause(heldAgain);
        }
        return rest.isNegative() ? Duration.ZERO : rest;
    }

    @Override
    public void finish(Connection connection) throws SQLException {
        try {
            if (batchesBegun) {
                // The last batch's pause made the log start over; this copies what the server wrote after it.
                startLogOver(connection);
            }
        } finally {
            SqlitePragmas.setPragma(connection, "wal_autocheckpoint", DEFAULT_AUTOCHECKPOINT);
        }
    }

    /** How long the lock must stay free after a batch that held it for {@code held}. */
    static Duration pause(Duration held) {
        return SqliteBusyHandler.sleepAt(held).plus(WAKE_UP);
    }

    /**
     * Makes the next write transaction, the server's or the purge's, start the log over: it does when it begins
     * with every frame copied. A reader that still needs old frames keeps the log from starting over whatever is
     * done here, until its transaction ends. Returns how long the last checkpoint held the server's writes off (at
     * most, with the wait for the lock), zero when it did not run.
     */
    private Duration startLogOver(Connection connection) throws SQLException {
        // The first pass copies the batch's pages, and syncs the log. The server commits during the copy more often
        // than not, so a second pass copies what it wrote; copying every frame there is, it syncs the database file:
        // the costly part, done without holding the server off. A commit during the second pass too would leave the
        // sync to the checkpoint below, which holds the server off.
        checkpoint(connection);
        SqlitePragmas.Checkpoint passive = checkpoint(connection);
        if (!passive.complete()) {
            // A reader still needs old frames (or another checkpoint is running): nothing can start the log over
            // now, and once the reader is done, what it kept would be copied while holding the server off.
            LOG.debug(
                    "the write-ahead log cannot start over yet: {} frames, {} copied",
                    passive.walFrames(),
                    passive.checkpointedFrames());
            return Duration.ZERO;
        }
        // Copies what the server added since while holding its writes off, so that none can add more: a write
        // that began meanwhile waits and then, beginning again, finds every frame copied. It waits at most
        // FULL_CHECKPOINT_WAIT in all, for the lock (a server's commit holds it about a millisecond) and then,
        // holding it, for readers of old frames; if it could not finish, the next pause tries again.
        SqlitePragmas.setPragma(connection, "busy_timeout", FULL_CHECKPOINT_WAIT.toMillis());
        SqlitePragmas.Checkpoint full;
        long began = System.nanoTime();
        try {
            full = SqlitePragmas.checkpoint(connection, SqlitePragmas.FULL_CHECKPOINT);
        } finally {
            SqlitePragmas.setPragma(connection, "busy_timeout", busyTimeout);
        }
        Duration held = Duration.ofNanos(System.nanoTime() - began);
        if (!full.complete()) {
            LOG.debug(
                    "the write-ahead log could not start over: {} frames, {} copied",
                    full.walFrames(),
                    full.checkpointedFrames());
        }
        return held;
    }

    private static SqlitePragmas.Checkpoint checkpoint(Connection connection) throws SQLException {
        return SqlitePragmas.checkpoint(connection, SqlitePragmas.PASSIVE_CHECKPOINT);
    }
}
