package io.runsweep.jobs.purge;

import java.time.Duration;
import java.util.Map;

/** Told after every committed batch, so that a terminal can show a long run moving and metrics can count it. */
@FunctionalInterface
public interface PurgeProgress {
  PurgeProgress NONE = (policy, table, rowsSoFar, batches) -> {};

  void batchCommitted(String policy, String table, long rowsSoFar, int batches);

  /**
   * Told once per committed batch, after {@link #batchCommitted}, with what that batch alone did.
   *
   * @param rowsByTable rows the batch deleted from the policy's table and from each dependent table
   * @param duration the batch's transaction, from its start to its commit
   */
  default void batchDone(String policy, Map<String, Long> rowsByTable, Duration duration) {}
}
