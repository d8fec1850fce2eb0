package io.runsweep.jobs.partition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one partition set did, or in a dry run would do, and what an operator should be alerted to.
 *
 * @param expireBefore partitions ending at or before this went (or would go); empty when planning failed
 * @param futurePartitions how many of the {@code premake} intervals after the current one have a partition
 *     once the run is over (in a dry run: now); fewer than {@code premake} is alert-worthy
 * @param defaultPartition the table's default partition, when it has one
 * @param defaultRows rows in the default partition: rows no range partition covers, alert-worthy when above 0
 * @param findings alert-worthy findings in words, empty when all is well
 * @param expiring the partitions past retention when planned, with their rows and bytes
 */
public record PartitionReport(
        String name,
        String table,
        Outcome outcome,
        Optional<Instant> expireBefore,
        List<StepResult> steps,
        int futurePartitions,
        int premake,
        Optional<String> defaultPartition,
        long defaultRows,
        List<String> findings,
        Optional<String> error,
        Duration duration,
        List<PartitionPlan.Expiring> expiring) {

    public PartitionReport {
        steps = List.copyOf(steps);
        findings = List.copyOf(findings);
        expiring = List.copyOf(expiring);
    }

    public enum Outcome {
        SUCCEEDED,
        FAILED,
        PREVIEWED
    }

    /** The steps of one action ("create", "drop"...) that were done. */
    public List<String> done(PartitionStep.Action action) {
        return steps.stream()
                .filter(s -> s.step().action() == action && s.status() == StepResult.Status.DONE)
                .map(s -> s.step().partition())
                .toList();
    }
}
