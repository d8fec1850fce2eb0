package io.runsweep.jobs.purge;

import java.time.Duration;
import java.util.Map;

/** Told after every committed batch: a terminal shows a long run moving, metrics time the batches. */
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
