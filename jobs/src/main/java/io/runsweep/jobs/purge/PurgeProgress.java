package io.runsweep.jobs.purge;

import java.time.Duration;
import java.util.Map;

/** Told after every committed batch: a terminal shows a long run moving, metrics time the batches. */
@FunctionalInterface
public interface PurgeProgress {
    PurgeProgress NONE = event -> {};

    void batchCommitted(BatchEvent event);

    /**
     * Told once before a run's first batch.
     *
     * @param expected rows the plan expects to delete from the policy's table: an estimate on PostgreSQL
     */
    default void started(String policy, String table, long expected) {}

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
