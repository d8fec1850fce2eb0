package io.runsweep.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What a purge does around its batches so that the application sharing the database keeps working: on SQLite,
 * where every writer waits for the one write lock, it places the checkpoints and leaves the lock free long enough
 * for the application's waiting writes to get in; on PostgreSQL, whose every commit waits for the WAL written before
 * it, the batches write less WAL (their full-page images compressed).
 */
public interface BatchPacing {
    /** Prepares {@code connection} for the batch about to run on it, outside its transaction. */
    void beforeBatch(Connection connection) throws SQLException;

    /**
     * Called right after a batch committed on {@code connection}, having held the database for {@code held}; does
     * what must happen between batches, and returns how much longer to leave the database to others before the
     * next batch.
     */
    Duration afterBatch(Connection connection, Duration held);

    /** After the last batch: leaves {@code connection} as the pool gave it. */
    void finish(Connection connection) throws SQLException;
}
