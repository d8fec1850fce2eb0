package io.runsweep.jobs.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * One finished run of a job.
 *
 * @param scheduledAt the fire time the scheduler ran it for (a missed run fires once, "now")
 */
public record JobRun(String job, Instant scheduledAt, Instant startedAt, Duration duration, JobResult result) {

    public Instant endedAt() {
        return startedAt.plus(duration);
    }

    public JobOutcome outcome() {
        return result.outcome();
    }
}
