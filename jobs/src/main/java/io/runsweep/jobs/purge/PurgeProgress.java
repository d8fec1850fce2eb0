package io.runsweep.jobs.purge;

import java.time.Duration;

/** Told after every committed batch, so that a terminal can show a long run moving. */
@FunctionalInterface
public interface PurgeProgress {
  PurgeProgress NONE = (policy, table, rowsSoFar, batches) -> {};

  void batchCommitted(String policy, String table, long rowsSoFar, int batches);

  /**
   * Told after every batch transaction that committed, the last one (which may delete nothing) included:
   * how many rows it deleted from the policy's table and how long it was open, from its first statement
   * to the end of its commit. {@code runsweep bench} reports the longest; the time between two
   * {@link #batchCommitted} calls is not a transaction's length. Ignored by default.
   */
  default void batchTimed(String policy, String table, long rowsInBatch, Duration transaction) {}
}
