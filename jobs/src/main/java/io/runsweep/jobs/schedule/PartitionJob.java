package io.runsweep.jobs.schedule;

import io.runsweep.config.PartitionSettings;
import io.runsweep.jobs.metrics.PartitionMetrics;
import io.runsweep.jobs.partition.PartitionMaintenance;
import io.runsweep.jobs.partition.PartitionReport;
import io.runsweep.jobs.partition.PartitionStep;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One partition set as a daemon job, named {@code partitions.<set>}: on its schedule it makes the partitions
 * ahead and expires the old ones, as {@code runsweep partition run --set <set>} does, under the job's lock.
 */
public final class PartitionJob implements ScheduledJob {
    private final PartitionMaintenance maintenance;
    private final PartitionSettings set;
    private final PartitionMetrics metrics;

    public PartitionJob(PartitionMaintenance maintenance, PartitionSettings set, PartitionMetrics metrics) {
        this.maintenance = maintenance;
        this.set = set;
        this.metrics = metrics;
        metrics.register(set.name());
    }

    /** The job's name for a set: apart from policies' names, which cannot hold a dot. */
    public static String name(PartitionSettings set) {
        return "partitions." + set.name();
    }

    @Override
    public String name() {
        return name(set);
    }

    @Override
    public String schedule() {
        return set.schedule();
    }

    /** Its statements are few and each runs whole; a stop waits for the set to be done. */
    @Override
    public JobResult run(BooleanSupplier stopRequested) {
        PartitionReport report =
                maintenance.run(java.util.List.of(set), false).sets().get(0);
        metrics.update(report);
        String summary = "\"" + report.table() + "\": created "
                + report.done(PartitionStep.Action.CREATE).size() + ", detached "
                + report.done(PartitionStep.Action.DETACH).size() + ", dropped "
                + report.done(PartitionStep.Action.DROP).size() + ", archived "
                + report.done(PartitionStep.Action.ARCHIVE).size() + "; " + report.futurePartitions() + " of "
                + report.premake() + " future partitions ready"
                + (report.findings().isEmpty() ? "" : "; " + String.join("; ", report.findings()));
        return report.outcome() == PartitionReport.Outcome.FAILED
                ? JobResult.failed(Map.of(), report.error().orElse("failed") + " (" + summary + ")")
                : JobResult.succeeded(Map.of(), summary);
    }
}
