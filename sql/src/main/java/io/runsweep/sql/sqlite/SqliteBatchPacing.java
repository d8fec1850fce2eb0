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
 * (its automatic checkpoint is off during the purge): it holds no write lock, so it costs the writers nothing. When
 * the server commits while it copies, it cannot copy every frame and leaves the file unsynced; the log is still over
 * SQLite's automatic checkpoint of 1,000 pages, so the server's next commit copies its few frames and syncs the file,
 * the batch's pages with it (50 to 330 ms in such a commit in the Prefect preset's sweep, 27 commits in 64 s).
 * Copying those frames here as well, which syncs the file in the pause, spared the server all but 6 of them but made
 * the sweep take 38% longer (88.6 s), every batch waiting for its sync; with the server's commits paying, the sync
 * overlaps the next batch. Not done: see docs/performance-history.md, thirteenth round.
 *
 * <p>Copying the pages is not enough to keep the write-ahead log small. SQLite writes the log from its start again
 * only when a write transaction begins with every frame copied, and a server writing while the checkpoint runs
 * appends frames it has not copied: beside a busy server the log then never starts over and grows by every page
 * every batch writes (1.9 GB for a 300 MB database in the bench, 350,000 rows of 500,000), and every commit of the
 * server's runs a checkpoint of its own, the log being over its 1,000 pages. So once the log holds
 * {@link #LOG_WINDOW_BYTES}, the pause also copies what the server added meanwhile, which syncs the database file
 * (the cost of starting over, paid once a window rather than once a batch: pages several batches rewrote reach the
 * disk once), and then the last few frames while holding the server's writes off, so that the next write, the
 * server's or the purge's, starts the log over. The last batch ends the same way.
 */
final class SqliteBatchPacing implements BatchPacing {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteBatchPacing.class);

    /** For the writer's thread to wake up and take the lock. */
    private static final Duration WAKE_UP = Duration.ofMillis(5);
    /** SQLite's default wal_autocheckpoint, given back to the connection after the purge. */
    private static final int DEFAULT_AUTOCHECKPOINT = 1000;
    /** How large the log may grow before the pause makes it start over (plus a batch). */
    private static final long LOG_WINDOW_BYTES = 128L << 20;

    /** The longest the last checkpoint of a window waits for the write lock, or holds it waiting for readers. */
    private static final Duration FULL_CHECKPOINT_WAIT = Duration.ofMillis(10);

    private final long logWindowBytes;
    /** Read at the first batch: the log's frames are pages. */
    private long pageSize;

    SqliteBatchPacing() {
        this(LOG_WINDOW_BYTES);
    }

    SqliteBatchPacing(long logWindowBytes) {
        this.logWindowBytes = logWindowBytes;
    }

    @Override
    public void beforeBatch(Connection connection) throws SQLException {
        if (pageSize == 0) {
            pageSize = SqlitePragmas.pragma(connection, "page_size");
        }
        SqlitePragmas.setPragma(connection, "wal_autocheckpoint", 0);
    }

    @Override
    public Duration afterBatch(Connection connection, Duration held) {
        long started = System.nanoTime();
        Duration heldAgain = Duration.ZERO;
        try {
            SqlitePragmas.Checkpoint pass = checkpoint(connection);
            if (pass.walFrames() * pageSize >= logWindowBytes) {
                heldAgain = startLogOver(connection);
            }
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
            if (pageSize > 0) {
                // The last batch's own pass ran in afterBatch; startLogOver copies what came after it.
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
        // Copy what the server committed during the pause's first checkpoint. With little to copy, nothing is
        // likely to be added meanwhile, and then a pass syncs the database file: the costly part, done without
        // holding the server off. A commit during the copy skips the sync (1 window in 15 in the bench), so a
        // second pass; were both skipped, the checkpoint below would sync while holding the server off.
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
        // holding it, for readers of old frames; if it could not finish, the next window tries again.
        long began = System.nanoTime();
        SqlitePragmas.Checkpoint full =
                SqlitePragmas.checkpointWaitingAtMost(connection, SqlitePragmas.FULL_CHECKPOINT, FULL_CHECKPOINT_WAIT);
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
