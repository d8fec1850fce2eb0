package io.runsweep.jobs.schedule;

import java.util.Locale;

/** How a job run ended; {@link #label()} is the {@code outcome} label of runsweep_job_runs_total. */
public enum JobOutcome {
  SUCCEEDED,
  FAILED,
  /** It ended early, at a safe point, because the daemon was stopping. */
  STOPPED,
  /** Another daemon on the same database held the job's lock, so this one did not run it. */
  SKIPPED_LOCKED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
