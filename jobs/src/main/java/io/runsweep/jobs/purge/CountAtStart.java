package io.runsweep.jobs.purge;

import io.runsweep.jobs.common.Errors;
import io.runsweep.sql.Database;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.RowsAtStart;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The count before the first batch of a range sweep, or of batches in time order ({@link RowsAtStart}): the xmin its
 * snapshot had, which the batches need before the first of them, and the rows it counted, which only the end of the
 * sweep needs. Where the pool has a connection to spare, only the snapshot is taken before the first batch, and the
 * count reads the time index beside the batches, in that snapshot: it counts the rows that matched then, and the
 * sweep no longer waits for it (130 to 280 ms of one DELETE's 1.5 to 1.9 s at 1,000,000 rows). Otherwise it was
 * counted whole, before the first.
 */
final class CountAtStart implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CountAtStart.class);

    /** How long a run waits for the spare connection (a new one takes a few ms) before counting on its own. */
    private static final Duration SPARE_WAIT = Duration.ofMillis(500);

    /** How often a run waiting for the count beside its batches looks for a stop. */
    private static final Duration POLL = Duration.ofMillis(5);

    /** How long closing waits for a count it cancelled to end and give its connection back. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

    private final long xmin;
    private final FutureTask<RowsAtStart> counting;
    private final Optional<Beside> beside;

    private CountAtStart(long xmin, FutureTask<RowsAtStart> counting, Optional<Beside> beside) {
        this.xmin = xmin;
        this.counting = counting;
        this.beside = beside;
    }

    /** A count made before the first batch. */
    static CountAtStart counted(RowsAtStart rows) {
        FutureTask<RowsAtStart> done = new FutureTask<>(() -> rows);
        done.run();
        return new CountAtStart(rows.xmin(), done, Optional.empty());
    }

    /**
     * A count started beside the batches, its snapshot taken; empty when the pool has no connection to spare now, or
     * the snapshot could not be taken (the run then counts on its own connection).
     *
     * @param snapshotTaken told once the snapshot is taken, before the count begins
     * @param countEnded told from the count's thread once it has ended and given its connection back
     */
    static Optional<CountAtStart> beside(
            Database database, Sql count, String policy, Runnable snapshotTaken, Runnable countEnded) {
        Connection connection;
        try {
            Optional<Connection> spare = database.spareConnection(SPARE_WAIT);
            if (spare.isEmpty()) {
                return Optional.empty();
            }
            connection = spare.get();
        } catch (SQLException e) {
            LOG.debug(
                    "{} - no connection to spare for the count before the first batch: {}", policy, Errors.describe(e));
            return Optional.empty();
        }
        Beside beside = new Beside(connection, database.dialect());
        try {
            long xmin = beside.begin();
            snapshotTaken.run();
            return Optional.of(new CountAtStart(xmin, beside.start(count, policy, countEnded), Optional.of(beside)));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{} - could not take the snapshot to count in beside the batches: {}", policy, Errors.chain(e));
            beside.close();
            return Optional.empty();
        }
    }

    /** The snapshot's xmin, as the 32-bit {@code xid} the batches bind. */
    String xid() {
        return RowsAtStart.xid(xmin);
    }

    long xmin() {
        return xmin;
    }

    /** The rows counted, when the count is done (empty if it failed); without waiting for it. */
    Optional<Long> countedYet() {
        return counting.isDone() ? result() : Optional.empty();
    }

    /** The rows counted, once the count is done: empty when it failed, or {@code stop} came first. */
    Optional<Long> rows(StopSignal stop) {
        while (!counting.isDone()) {
            if (stop.sleep(POLL.toMillis())) {
                return Optional.empty();
            }
        }
        return result();
    }

    private Optional<Long> result() {
        try {
            RowsAtStart rows = counting.get();
            if (rows.xmin() != xmin) {
                // Only if the statement read a snapshot other than the one its transaction took first.
                LOG.warn("the count before the first batch read another snapshot (xmin {}, not {})", rows.xmin(), xmin);
                return Optional.empty();
            }
            return Optional.of(rows.rows());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.debug("the count before the first batch failed: {}", Errors.chain(cause));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Cancels a count still running beside the batches and gives its connection back. */
    @Override
    public void close() {
        beside.ifPresent(Beside::close);
    }

    /**
     * The spare connection and the count on it. Its transaction ends, and the connection goes back to the pool, as
     * soon as the count is read: held open, its snapshot would hold back the cleanup of every table on the server
     * for the whole sweep. {@code close} may come from the run's thread at any time.
     */
    private static final class Beside {
        private final Connection connection;
        private final Dialect dialect;
        private Thread thread;
        private PreparedStatement running;
        private boolean closed;

        Beside(Connection connection, Dialect dialect) {
            this.connection = connection;
            this.dialect = dialect;
        }

        long begin() throws SQLException {
            return dialect.beginCountSnapshot(connection);
        }

        /** Counts on a thread of its own, which then gives the connection back and tells {@code ended}. */
        FutureTask<RowsAtStart> start(Sql count, String policy, Runnable ended) {
            FutureTask<RowsAtStart> counting = new FutureTask<>(() -> {
                try {
                    return count(count);
                } finally {
                    giveBack();
                    ended.run();
                }
            });
            Thread counter = new Thread(counting, "runsweep-count-" + policy);
            counter.setDaemon(true);
            synchronized (this) {
                thread = counter;
            }
            counter.start();
            return counting;
        }

        private RowsAtStart count(Sql count) throws SQLException {
            try (PreparedStatement statement = count.prepare(connection, SqlParam.BatchValues.NONE)) {
                synchronized (this) {
                    if (closed) {
                        throw new SQLException("the run ended before the count began");
                    }
                    running = statement;
                }
                try {
                    return RowsAtStart.read(statement);
                } finally {
                    synchronized (this) {
                        running = null;
                    }
                }
            }
        }

        /** Ends the count's transaction and returns the connection to the pool as it came. */
        private void giveBack() {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                LOG.debug("could not end the count's transaction: {}", Errors.describe(e));
            } finally {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // a connection that failed to close is discarded by the pool
                }
            }
        }

        /** Cancels the count if it still runs, and waits for its thread to give the connection back. */
        void close() {
            Thread counter;
            synchronized (this) {
                closed = true;
                counter = thread;
                if (running != null) {
                    try {
                        running.cancel();
                    } catch (SQLException e) {
                        LOG.debug("could not cancel the count before the first batch: {}", Errors.describe(e));
                    }
                }
            }
            if (counter == null) {
                giveBack();
                return;
            }
            try {
                counter.join(CANCEL_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
