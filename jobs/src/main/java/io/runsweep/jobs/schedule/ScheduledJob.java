package io.runsweep.jobs.schedule;

import io.runsweep.sql.JobLock;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Work the daemon runs on a cron schedule: a policy's purge, a partition set, the checks, maintenance. The
 * scheduler behind it (Quartz, in the app) never runs one job twice at once, and {@link JobExecutor} adds the
 * lock between daemons, the metrics, the status and the summary line.
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

    /**
     * Runs the job once, as the executor does: with the job's lock between daemons, which a job that writes in
     * many transactions confirms in each of them.
     *
     * @param lock the job's lock; empty only for a job that {@link #runsOnEveryDaemon}, when another daemon holds it
     */
    default JobResult run(BooleanSupplier stopRequested, Optional<JobLock> lock) throws Exception {
        return run(stopRequested);
    }

    /**
     * A job that only reads (the checks) runs on every daemon, so that each exports what it measures; the one
     * that holds its lock also does what must happen once (notify webhooks). Other jobs run on one daemon.
     */
    default boolean runsOnEveryDaemon() {
        return false;
    }

    /** Runs once as soon as the daemon has scheduled its jobs, besides on its schedule. */
    default boolean runsAtStart() {
        return false;
    }
}
