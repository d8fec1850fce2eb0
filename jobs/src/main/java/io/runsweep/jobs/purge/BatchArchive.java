package io.runsweep.jobs.purge;

import io.runsweep.sql.SqlParam.BatchValues;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * A run's archive: each batch deletes through it, so that every row it deletes, from every table it reaches, is
 * copied first. One per run of a policy whose plan has an {@link ArchivePlan}.
 */
public interface BatchArchive extends AutoCloseable {
    /** Opens the archive of one run of a policy. */
    @FunctionalInterface
    interface Factory {
        Factory NONE = (plan, progress, connection) -> {
            throw new IllegalStateException("policy " + plan.name() + " keeps an archive, but this run has none");
        };

        /**
         * Makes what the plan's archive needs (schema, tables, columns added since) and opens it.
         *
         * @param connection outside any transaction
         */
        BatchArchive open(PurgePlan plan, PurgeProgress progress, Connection connection) throws SQLException;
    }

    /**
     * Inside the batch's transaction: locks and copies the batch's rows from every table it reaches, deletes them,
     * and checks that what was deleted is what was copied.
     *
     * @param inRanges whether the batch is a range of the table's physical order, or found by index (an index-strategy
     *     run, or the final pass after a block-range sweep)
     * @return rows deleted per table, the policy's own table first
     */
    Map<String, Long> deleteBatch(Connection connection, BatchValues values, boolean inRanges) throws SQLException;

    /** Last, before the commit: the batch's copies are where they must be before its rows can go. */
    void seal() throws SQLException;

    /** After the batch's transaction ended: how. */
    void ended(Outcome outcome);

    /** How a batch's transaction ended, as far as the run can tell. */
    enum Outcome {
        COMMITTED,
        /** Failed before its commit was asked for: its rows are all still there, so its copies go. */
        ROLLED_BACK,
        /** Failed during its commit (a lost connection, say): it may have committed, so its copies stay. */
        UNKNOWN
    }

    /** What this run archived so far. */
    ArchiveSummary summary();

    /** Ends the run's archive: the manifest of its files, with their checksums. */
    @Override
    void close();
}
