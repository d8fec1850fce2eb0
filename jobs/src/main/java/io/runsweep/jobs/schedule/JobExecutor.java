package io.runsweep.jobs.schedule;

import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.JobLock;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs one job once, as the daemon does at each fire time: under the job's lock between daemons, then
 * one summary line in the log, and the run handed to the observers (status, metrics).
 */
public final class JobExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);

    private final JobLocks locks;
    private final BooleanSupplier stopRequested;
    private final Clock clock;
    private final List<JobObserver> observers;

    public JobExecutor(JobLocks locks, BooleanSupplier stopRequested, Clock clock, List<JobObserver> observers) {
        this.locks = locks;
        this.stopRequested = stopRequested;
        this.clock = clock;
        this.observers = List.copyOf(observers);
    }

    public JobRun execute(ScheduledJob job, Instant scheduledAt) {
        Instant startedAt = clock.instant();
        long started = System.nanoTime();
        observers.forEach(o -> o.started(job.name(), startedAt));
        JobResult result = runLocked(job);
        JobRun run =
                new JobRun(job.name(), scheduledAt, startedAt, Duration.ofNanos(System.nanoTime() - started), result);
        log(run);
        observers.forEach(o -> o.finished(run));
        return run;
    }

    private JobResult runLocked(ScheduledJob job) {
        Optional<RenewableJobLock> lock;
        try {
            lock = locks.tryLock(job.name());
        } catch (SQLException e) {
            return JobResult.failed(java.util.Map.of(), "could not take the job's lock: " + Errors.describe(e));
        }
        if (lock.isEmpty() && !job.runsOnEveryDaemon()) {
            return JobResult.skippedLocked();
        }
        try {
            JobResult result = job.run(stopRequested, lock.map(JobLock.class::cast));
            boolean lost = lock.isPresent() && lock.get().lostToAnother();
            return lost && result.outcome() == JobOutcome.SUCCEEDED ? result.stopped() : result;
        } catch (Exception e) {
            return JobResult.failed(java.util.Map.of(), describe(e));
        } finally {
            lock.ifPresent(l -> release(job, l));
        }
    }

    /** A lock whose session is gone went with it; one that cannot be released goes when the pool drops it. */
    private static void release(ScheduledJob job, JobLock lock) {
        try {
            lock.close();
        } catch (SQLException e) {
            LOG.warn("{} - could not release the job's lock: {}", job.name(), Errors.describe(e));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof SQLException sql) {
            return Errors.describe(sql);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The one line per run: {@code logs - succeeded: deleted 42 rows from "log" in 1 batch (0.05 s)}. */
    private static void log(JobRun run) {
        Level level = run.outcome() == JobOutcome.FAILED ? Level.ERROR : Level.INFO;
        LOG.atLevel(level)
                .addKeyValue("job", run.job())
                .addKeyValue("outcome", run.outcome().label())
                .addKeyValue("rows_deleted", run.result().totalRows())
                .addKeyValue("duration_seconds", run.duration().toNanos() / 1e9)
                .log(
                        "{} - {}: {} ({})",
                        run.job(),
                        run.outcome().label(),
                        run.result().summary(),
                        Formats.seconds(run.duration()));
    }
}
