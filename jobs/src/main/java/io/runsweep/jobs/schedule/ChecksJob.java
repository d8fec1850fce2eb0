package io.runsweep.jobs.schedule;

import io.runsweep.jobs.alert.AlertState;
import io.runsweep.jobs.checks.PartitionCheck;
import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.JobLock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** The checks and alerts as a daemon job: measure, evaluate the thresholds, update the gauges. */
public final class ChecksJob implements ScheduledJob {
    private final ChecksCycle checks;
    private final String schedule;
    private volatile List<PartitionCheck> partitions = List.of();

    public ChecksJob(ChecksCycle checks, String schedule) {
        this.checks = checks;
        this.schedule = schedule;
    }

    /** The checks only read: every daemon exports their gauges, not only the one that wins the lock. */
    @Override
    public boolean runsOnEveryDaemon() {
        return true;
    }

    /** So that the gauges exist within seconds of start, not at the first slot of the schedule. */
    @Override
    public boolean runsAtStart() {
        return true;
    }

    @Override
    public String name() {
        return "checks";
    }

    @Override
    public String schedule() {
        return schedule;
    }

    /** The partition sets' partitions past retention, as the last run of the checks saw them: /status shows them. */
    public List<PartitionCheck> partitions() {
        return partitions;
    }

    @Override
    public JobResult run(BooleanSupplier stopRequested) {
        return run(stopRequested, Optional.of(JobLock.NONE));
    }

    /**
     * A check that could not run fails the job (its problem is already logged); the others still count. Checks a
     * stopping daemon cut short make the run stopped.
     * Every daemon measures and exports; the one holding the lock also posts alert changes to the webhook.
     */
    @Override
    public JobResult run(BooleanSupplier stopRequested, Optional<JobLock> lock) {
        ChecksCycle.Result result = checks.run(lock.isPresent());
        partitions = result.report().partitions();
        long firing = result.alerts().stream().filter(AlertState::firing).count();
        String summary = "checked " + Formats.count(result.report().tables().size(), "table") + ", " + firing + " of "
                + result.alerts().size() + " alerts firing";
        JobResult done = result.complete()
                ? JobResult.succeeded(Map.of(), summary)
                : JobResult.failed(
                        Map.of(),
                        summary + "; " + String.join("; ", result.report().problems()));
        // Cut short by a stopping daemon: stopped, not failed.
        return !result.complete() && stopRequested.getAsBoolean() ? done.stopped() : done;
    }
}
