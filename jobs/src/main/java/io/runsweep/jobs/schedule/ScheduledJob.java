package io.runsweep.jobs.schedule;

import java.util.function.BooleanSupplier;

/**
 * Work the daemon runs on a cron schedule: a policy's purge today, checks and maintenance later. The
 * scheduler behind it (Quartz, in the app) never runs one job twice at once, and {@link JobExecutor}
 * adds the lock between daemons, the metrics, the status and the summary line.
 */
public interface ScheduledJob {
    /** Unique among the daemon's jobs: names the job in logs, metrics, /status and its lock. */
    String name();

    /** A Quartz cron expression: second minute hour day-of-month month day-of-week [year]. */
    String schedule();

    /**
     * Runs the job once.
     *
     * @param stopRequested true once the daemon is stopping: end at the next point where nothing is half done
     * @throws Exception any failure; the run counts as failed, with the exception's message
     */
    JobResult run(BooleanSupplier stopRequested) throws Exception;
}
