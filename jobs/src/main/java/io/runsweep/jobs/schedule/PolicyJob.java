package io.runsweep.jobs.schedule;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.JobLock;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** One retention policy as a daemon job: the policy's name and schedule, and one {@link Sweep} of it per run. */
public final class PolicyJob implements ScheduledJob {
    private final Sweep sweep;
    private final PolicySettings policy;
    private final PurgeProgress progress;

    public PolicyJob(Sweep sweep, PolicySettings policy, PurgeProgress progress) {
        this.sweep = sweep;
        this.policy = policy;
        this.progress = progress;
    }

    @Override
    public String name() {
        return policy.name();
    }

    @Override
    public String schedule() {
        return policy.schedule();
    }

    @Override
    public JobResult run(BooleanSupplier stopRequested) {
        return run(stopRequested, Optional.of(JobLock.NONE));
    }

    /**
     * A run during which the daemon began to stop ended after its batch under way: "stopped", rows counted.
     * Each batch confirms the job's lock; one that finds it taken by another daemon ends the run there.
     */
    @Override
    public JobResult run(BooleanSupplier stopRequested, Optional<JobLock> lock) {
        JobResult result = JobResult.of(sweep.runPolicy(policy, progress, stopRequested, lock.orElse(JobLock.NONE)));
        return result.outcome() == JobOutcome.SUCCEEDED && stopRequested.getAsBoolean() ? result.stopped() : result;
    }
}
