package io.runsweep.jobs.partition;

import io.runsweep.config.PartitionSettings;
import io.runsweep.sql.postgresql.PartitionedTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one partition set will do, decided before anything runs. A real run executes these statements and
 * no others; a dry run prints them.
 *
 * @param currentStart the start of the interval that holds "now"
 * @param expireBefore partitions that end at or before this instant are expired
 * @param creates the partitions of the current and the next {@code premake} intervals that are missing
 * @param prepare run before any expiry: the archive schema, when partitions are to be moved there
 * @param expiries per expired partition, its detach and then its drop or move, in order
 * @param conflicts intervals that a partition overlaps without covering, so none can be made for them
 */
public record PartitionPlan(
        PartitionSettings settings,
        PartitionedTable table,
        Instant currentStart,
        Instant expireBefore,
        List<PartitionStep> creates,
        List<PartitionStep> prepare,
        List<List<PartitionStep>> expiries,
        List<String> conflicts) {

    public PartitionPlan {
        creates = List.copyOf(creates);
        prepare = List.copyOf(prepare);
        expiries = expiries.stream().map(List::copyOf).toList();
        conflicts = List.copyOf(conflicts);
    }

    /** Every statement, in the order a real run executes them. */
    public List<PartitionStep> steps() {
        List<PartitionStep> all = new ArrayList<>(creates);
        all.addAll(prepare);
        expiries.forEach(all::addAll);
        return all;
    }
}
