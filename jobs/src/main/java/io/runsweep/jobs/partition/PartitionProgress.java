package io.runsweep.jobs.partition;

import java.time.Duration;

/** Told when a statement timed out waiting for a lock and will be tried again. */
@FunctionalInterface
public interface PartitionProgress {
    PartitionProgress NONE = (step, attempt, error, wait) -> {};

    /**
     * @param attempt the attempt that just failed, from 1
     * @param wait how long Runsweep waits before the next attempt
     */
    void retrying(PartitionStep step, int attempt, String error, Duration wait);
}
