package io.runsweep.jobs.purge;

import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Told after every committed batch: a terminal shows a long run moving, metrics time the batches. Told before the
 * first what the database's cascades will take.
 */
@FunctionalInterface
public interface PurgeProgress {
    PurgeProgress NONE = event -> {};

    void batchCommitted(BatchEvent event);

    /** After a batch that copied its rows to an archive committed: once per archive it keeps. */
    default void batchArchived(ArchiveEvent event) {}

    /** After the run waited for the server before a batch, or after one that held sessions up. */
    default void throttled(ThrottleEvent event) {}

    /**
     * @param form {@code schema} or {@code directory}
     * @param rowsByTable rows copied per source table
     * @param bytes bytes written: compressed file bytes for a directory, the values' text for a schema
     */
    record ArchiveEvent(String policy, String form, Map<String, Long> rowsByTable, long bytes) {
        public ArchiveEvent {
            rowsByTable = Map.copyOf(rowsByTable);
        }
    }

    /**
     * @param reason {@code replica_lag} or {@code lock_waiters}
     * @param waited how long this wait lasted
     * @param detail what held the run back, as a person reads it
     */
    record ThrottleEvent(String policy, String reason, Duration waited, String detail) {}

    /**
     * Told once before a policy's first batch, when its rows cascade to other tables: what the database's ON DELETE
     * CASCADE keys will take, by table and count, for a person to read before anything goes.
     */
    default void beforeFirstBatch(String policy, String cascades) {}

    /** This progress, telling {@code told} too what a policy's cascades will take before its first batch. */
    default PurgeProgress tellingCascadesTo(BiConsumer<String, String> told) {
        PurgeProgress self = this;
        return new PurgeProgress() {
            @Override
            public void batchCommitted(BatchEvent event) {
                self.batchCommitted(event);
            }

            @Override
            public void started(String policy, String table, long expected) {
                self.started(policy, table, expected);
            }

            @Override
            public void batchArchived(ArchiveEvent event) {
                self.batchArchived(event);
            }

            @Override
            public void throttled(ThrottleEvent event) {
                self.throttled(event);
            }

            @Override
            public void beforeFirstBatch(String policy, String cascades) {
                told.accept(policy, cascades);
                self.beforeFirstBatch(policy, cascades);
            }

            @Override
            public void countingBeforeFirstBatch(String policy, String table) {
                self.countingBeforeFirstBatch(policy, table);
            }

            @Override
            public void countingBesideBatches(String policy, String table) {
                self.countingBesideBatches(policy, table);
            }

            @Override
            public void countedBesideBatches(String policy, String table) {
                self.countedBesideBatches(policy, table);
            }

            @Override
            public void countingWhatIsLeft(String policy, String table) {
                self.countingWhatIsLeft(policy, table);
            }
        };
    }

    /**
     * Told once before a run's first batch.
     *
     * @param expected rows the plan expects to delete from the policy's table: an estimate on PostgreSQL
     */
    default void started(String policy, String table, long expected) {}

    /**
     * Told before a PostgreSQL range sweep counts the rows that match, before its first batch (see {@link
     * io.runsweep.sql.RowsAtStart}): on a large table a read of the whole time index or table.
     */
    default void countingBeforeFirstBatch(String policy, String table) {}

    /**
     * Told instead of {@link #countingBeforeFirstBatch} when that count runs on a connection of its own beside the
     * batches, in a snapshot taken before the first (see {@link CountAtStart}): once the snapshot is taken, before the
     * count begins. The batches move the line meanwhile.
     */
    default void countingBesideBatches(String policy, String table) {}

    /**
     * Told once the count {@link #countingBesideBatches} announced has ended, and its transaction with it, whether it
     * counted or failed or was cancelled: from the count's own thread, while the run's thread may be telling of a
     * batch. What shares the server with the batches ends here.
     */
    default void countedBesideBatches(String policy, String table) {}

    /**
     * Told after a range sweep's batches, before the run reads the whole table for matching rows the server moved
     * behind them: on a large table the longest step after the batches, with no batch to show it moving.
     */
    default void countingWhatIsLeft(String policy, String table) {}

    /**
     * @param rows rows this batch deleted from the policy's table (dependents not counted)
     * @param rowsByTable rows this batch deleted from the policy's table and from each dependent table
     * @param rowsSoFar rows deleted from the policy's table in this run so far
     * @param duration the batch's transaction, from its start to its commit
     */
    record BatchEvent(
            String policy,
            String table,
            long rows,
            Map<String, Long> rowsByTable,
            long rowsSoFar,
            int batches,
            Duration duration) {
        public BatchEvent {
            rowsByTable = Map.copyOf(rowsByTable);
        }
    }
}
