package io.runsweep.jobs.alert;

import java.time.Instant;
import java.util.Optional;

/** When each job last succeeded, as the daemon that runs the jobs knows it. Jobs are named after their policy. */
@FunctionalInterface
public interface JobSuccesses {
    /** Empty when the job has not succeeded since the daemon started. */
    Optional<Instant> lastSuccess(String job);
}
