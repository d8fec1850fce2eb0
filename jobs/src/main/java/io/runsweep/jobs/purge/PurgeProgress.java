package io.runsweep.jobs.purge;

/** Told after every committed batch, so that a terminal can show a long run moving. */
@FunctionalInterface
public interface PurgeProgress {
  PurgeProgress NONE = (policy, table, rowsSoFar, batches) -> {};

  void batchCommitted(String policy, String table, long rowsSoFar, int batches);
}
