package io.runsweep.jobs.checks;

import io.runsweep.jobs.partition.PartitionPlan;
import java.time.Instant;
import java.util.List;

/**
 * One enabled partition set as the checks saw it: the partitions past retention that its next run would drop,
 * detach or archive, with their rows and bytes.
 */
public record PartitionCheck(String set, String table, Instant expireBefore, List<PartitionPlan.Expiring> expiring) {
    public PartitionCheck {
        expiring = List.copyOf(expiring);
    }
}
