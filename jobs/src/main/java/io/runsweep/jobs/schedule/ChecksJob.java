package io.runsweep.jobs.schedule;

import io.runsweep.jobs.alert.AlertState;
import io.runsweep.jobs.checks.PartitionCheck;
import java.util.List;
import java.util.Map;
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

    /** A check that could not run fails the job (its problem is already logged); the others still count. */
    @Override
    public JobResult run(BooleanSupplier stopRequested) {
        ChecksCycle.Result result = checks.run();
        partitions = result.report().partitions();
        long firing = result.alerts().stream().filter(AlertState::firing).count();
        String summary = "checked " + result.report().tables().size() + " tables, " + firing + " of "
                + result.alerts().size() + " alerts firing";
        return result.complete()
                ? JobResult.succeeded(Map.of(), summary)
                : JobResult.failed(
                        Map.of(),
                        summary + "; " + String.join("; ", result.report().problems()));
    }
}
