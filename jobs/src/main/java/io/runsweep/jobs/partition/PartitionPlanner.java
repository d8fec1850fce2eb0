package io.runsweep.jobs.partition;

import io.runsweep.config.PartitionSettings;
import io.runsweep.config.PartitionSettings.OnExpire;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.sql.Column;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.Ddl;
import io.runsweep.sql.postgresql.PartitionedTable;
import io.runsweep.sql.postgresql.PostgresPartitions;
import io.runsweep.sql.postgresql.RangePartition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a partition set into a {@link PartitionPlan} by checking it against the live catalog. */
public final class PartitionPlanner {

    private final PostgresPartitions partitions;

    public PartitionPlanner(PostgresPartitions partitions) {
        this.partitions = partitions;
    }

    /** Plans {@code set} for the interval that holds {@code now}. */
    public PartitionPlan plan(Connection connection, PartitionSettings set, Instant now) throws SQLException {
        PartitionedTable table = partitions
                .describe(connection, TableName.parse(set.table()))
                .orElseThrow(() -> new PlanException("table \"" + set.table() + "\" does not exist in the database"
                        + " (partition set defined at " + set.location() + ")"));
        Optional<String> partman = partitions.partmanConfig(connection, table.name());
        if (partman.isPresent()) {
            throw new PlanException("table \"" + table.name() + "\" is managed by pg_partman (" + partman.get()
                    + " names it); two tools making and dropping its partitions would undo each other's work."
                    + " Remove partition set " + set.name() + " (" + set.location() + "), or take the table out of"
                    + " pg_partman first");
        }
        Column key = key(set, table);
        Instant current = Intervals.start(set.interval(), now);
        List<PartitionStep> creates = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (int i = 0; i <= set.premake(); i++) {
            Instant start = Intervals.plus(set.interval(), current, i);
            Instant end = Intervals.plus(set.interval(), current, i + 1);
            create(set, table, key, start, end, conflicts).ifPresent(creates::add);
        }
        Instant expireBefore = set.retention() instanceof PartitionSettings.Retention.Age age
                ? age.before(now)
                : Intervals.plus(
                        set.interval(), current, -((PartitionSettings.Retention.Intervals) set.retention()).count());
        int version = partitions.serverVersion(connection);
        List<List<PartitionStep>> expiries = new ArrayList<>();
        List<PartitionPlan.Expiring> expiring = new ArrayList<>();
        for (RangePartition partition : table.partitions()) {
            if (!partition.to().isAfter(expireBefore)) {
                expiries.add(expire(set, table, partition, version));
                PostgresPartitions.Size size = partitions.size(connection, partition.name());
                expiring.add(new PartitionPlan.Expiring(
                        partition.name().toString(),
                        set.onExpire().word(),
                        size.rows(),
                        size.estimated(),
                        size.bytes()));
            }
        }
        List<PartitionStep> prepare = set.onExpire() == OnExpire.ARCHIVE && !expiries.isEmpty()
                ? List.of(new PartitionStep(
                        PartitionStep.Action.CREATE_SCHEMA,
                        set.archiveSchema(),
                        partitions.createSchema(set.archiveSchema()),
                        Optional.empty()))
                : List.of();
        return new PartitionPlan(set, table, current, expireBefore, creates, prepare, expiries, conflicts, expiring);
    }

    /** How many of the {@code premake} intervals after the current one have a partition. */
    public static int futurePartitions(PartitionedTable table, PartitionSettings set, Instant currentStart) {
        int covered = 0;
        for (int i = 1; i <= set.premake(); i++) {
            Instant start = Intervals.plus(set.interval(), currentStart, i);
            Instant end = Intervals.plus(set.interval(), currentStart, i + 1);
            if (table.partitions().stream().anyMatch(p -> p.covers(start, end))) {
                covered++;
            }
        }
        return covered;
    }

    private Optional<PartitionStep> create(
            PartitionSettings set,
            PartitionedTable table,
            Column key,
            Instant start,
            Instant end,
            List<String> conflicts) {
        if (table.partitions().stream().anyMatch(p -> p.covers(start, end))) {
            return Optional.empty();
        }
        Optional<RangePartition> overlapping =
                table.partitions().stream().filter(p -> p.overlaps(start, end)).findFirst();
        if (overlapping.isPresent()) {
            conflicts.add("no partition made for " + start + " to " + end + ": partition \""
                    + overlapping.get().name() + "\" covers part of it");
            return Optional.empty();
        }
        String name = table.name().name() + Intervals.suffix(set.interval(), start);
        return Optional.of(PartitionStep.of(
                PartitionStep.Action.CREATE,
                new TableName(table.name().schema(), name),
                partitions.create(table, key, name, start, end)));
    }

    /** Detach first (finishing an interrupted detach if there is one), then drop or move as configured. */
    private List<PartitionStep> expire(
            PartitionSettings set, PartitionedTable table, RangePartition partition, int version) {
        List<PartitionStep> steps = new ArrayList<>();
        Ddl finalize = partitions.finalizeDetach(table, partition.name());
        Ddl detach = partition.detachPending() ? finalize : partitions.detach(table, partition.name(), version);
        Optional<Ddl> resume = detach.inTransaction() ? Optional.empty() : Optional.of(finalize);
        steps.add(
                new PartitionStep(PartitionStep.Action.DETACH, partition.name().toString(), detach, resume));
        // Once detached, the table lives in the parent's schema under its own name.
        TableName detached = partition.name();
        switch (set.onExpire()) {
            case DROP -> steps.add(PartitionStep.of(PartitionStep.Action.DROP, detached, partitions.drop(detached)));
            case ARCHIVE ->
                steps.add(PartitionStep.of(
                        PartitionStep.Action.ARCHIVE, detached, partitions.setSchema(detached, set.archiveSchema())));
            case DETACH -> {}
        }
        return steps;
    }

    private static Column key(PartitionSettings set, PartitionedTable table) {
        String where = " (partition set defined at " + set.location() + ")";
        if (table.strategy() != PartitionedTable.Strategy.RANGE) {
            throw new PlanException("table \"" + table.name() + "\" is not partitioned by range"
                    + (table.strategy() == PartitionedTable.Strategy.NONE
                            ? " (it is not partitioned at all; \"runsweep"
                                    + " partition plan\" prints how to convert it)"
                            : " but by " + table.strategy().name().toLowerCase(java.util.Locale.ROOT))
                    + where);
        }
        if (table.keyColumns().size() != 1 || !table.keyColumns().get(0).equals(set.column())) {
            throw new PlanException("table \"" + table.name() + "\" is partitioned by " + table.keyColumns()
                    + ", not by the column \"" + set.column() + "\" the set names" + where);
        }
        Column key = table.table().column(set.column()).orElseThrow();
        if (!key.category().isTime()) {
            throw new PlanException("partition key \"" + key.name() + "\" of \"" + table.name() + "\" is of type "
                    + key.typeName() + "; Runsweep makes partitions by timestamptz, timestamp or date" + where);
        }
        return key;
    }
}
