package io.runsweep.sql.postgresql;

import io.runsweep.sql.BatchPacing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A purge's batches beside a PostgreSQL server's own writes: the batches write the full-page images of their WAL
 * compressed with lz4, where the server writes them whole.
 *
 * <p>The first change to a page after a checkpoint writes the whole page to the WAL. A purge changes nearly every
 * page of the rows it deletes, so its WAL is mostly such images: 555 MB to delete 560,000 rows of a 541 MB table just
 * after a checkpoint. The server's every commit waits for the WAL before it to reach the disk, the purge's with it,
 * so that its writes take longer the more WAL the purge writes a second. With lz4 the same delete wrote 202 MB; a
 * writer committing 400 times a second had a p99 of 3.6 to 4.9 ms beside it, against 8.9 to 32 ms beside the
 * uncompressed delete, in about the same time (Debian's PostgreSQL 15; docs/performance-history.md, twenty-fifth
 * round).
 * Less WAL is also less for replicas to replay and for archives to keep.
 *
 * <p>Only where the server writes them whole ({@code wal_compression = off}, its default: a server that compresses
 * already is left as it is), has lz4 (PostgreSQL 15 and later, built with it), and the role may set the parameter (a
 * superuser, or {@code GRANT SET ON PARAMETER wal_compression}); else the batches write the WAL as the server does.
 * Set on the run's session before its first batch (again on a new session after a lost one), and reset after the
 * last, so that the pool's connection goes back as it came: {@code RESET} gives back the value the session started
 * with.
 */
final class PostgresBatchPacing implements BatchPacing {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBatchPacing.class);

    /** Why the batches write the WAL as the server does; empty when they compress it; null until the first batch. */
    private Optional<String> notCompressed;
    /** The session whose wal_compression is set. */
    private Connection compressing;

    /** @param compressWal false: the batches write the WAL as the server does, whatever it allows */
    PostgresBatchPacing(boolean compressWal) {
        if (!compressWal) {
            notCompressed = Optional.of("runsweep.batch.compress-wal is false");
        }
    }

    @Override
    public void beforeBatch(Connection connection) throws SQLException {
        if (notCompressed == null) {
            notCompressed = WalCompression.read(connection).whyNot();
            LOG.debug(
                    "the batches write their full-page images {}",
                    notCompressed.map(why -> "as the server does: " + why).orElse("compressed with lz4"));
        }
        if (notCompressed.isEmpty() && connection != compressing) {
            try (PreparedStatement s =
                    connection.prepareStatement("SELECT set_config('wal_compression', 'lz4', false)")) {
                s.execute();
            }
            compressing = connection;
        }
    }

    @Override
    public Duration afterBatch(Connection connection, Duration held) {
        return Duration.ZERO;
    }

    @Override
    public void finish(Connection connection) throws SQLException {
        if (connection == compressing) {
            compressing = null;
            try (Statement s = connection.createStatement()) {
                s.execute("RESET wal_compression");
            }
        }
    }
}
