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
 * @param expiring the partitions past retention, each with its rows and bytes when planned
 */
public record PartitionPlan(
        PartitionSettings settings,
        PartitionedTable table,
        Instant currentStart,
        Instant expireBefore,
        List<PartitionStep> creates,
        List<PartitionStep> prepare,
        List<List<PartitionStep>> expiries,
        List<String> conflicts,
        List<Expiring> expiring) {

    public PartitionPlan {
        creates = List.copyOf(creates);
        prepare = List.copyOf(prepare);
        expiries = expiries.stream().map(List::copyOf).toList();
        conflicts = List.copyOf(conflicts);
        expiring = List.copyOf(expiring);
    }

    /**
     * A partition past retention, and what it holds.
     *
     * @param fate what becomes of it: {@code drop}, {@code detach} or {@code archive}
     * @param rowsEstimated rows are the planner's estimate (a large partition), not a count
     */
    public record Expiring(String partition, String fate, long rows, boolean rowsEstimated, long bytes) {}

    /** Every statement, in the order a real run executes them. */
    public List<PartitionStep> steps() {
        List<PartitionStep> all = new ArrayList<>(creates);
        all.addAll(prepare);
        expiries.forEach(all::addAll);
        return all;
    }
}
