package io.runsweep.jobs.archive;

import io.runsweep.jobs.purge.BatchArchive;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** One place a run's archive copies rows to: archive tables, or files. */
interface CopySink extends AutoCloseable {
    /** {@code schema} or {@code directory}, as metrics label it. */
    String form();

    /** Inside the batch's transaction, after its rows are deleted: takes its copies of them. */
    void add(Connection connection, Captured rows, Instant archivedAt) throws SQLException;

    /** Last before the commit: the batch's copies are durable, or this throws and the batch rolls back. */
    void seal() throws SQLException;

    /**
     * After the transaction ended: a batch that surely did not commit takes its copies back.
     *
     * @return bytes this batch's copies took; 0 when they were taken back
     */
    long ended(BatchArchive.Outcome outcome);

    @Override
    void close();
}
