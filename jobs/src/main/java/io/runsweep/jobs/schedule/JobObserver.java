package io.runsweep.jobs.schedule;

import java.time.Instant;

/** Told when a job run starts and ends: the status page, the metrics. Called on the job's own thread. */
public interface JobObserver {
    default void started(String job, Instant at) {}

    void finished(JobRun run);
}
