package io.runsweep.jobs.schedule;

import java.util.Locale;

/** How a job run ended; {@link #label()} is the {@code outcome} label of runsweep_job_runs_total. */
public enum JobOutcome {
    SUCCEEDED,
    FAILED,
    /** The daemon began to stop while it ran, and it ended early at a safe point (a policy: after its batch). */
    STOPPED,
    /** Another daemon on the same database held the job's lock, so this one did not run it. */
    SKIPPED_LOCKED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
