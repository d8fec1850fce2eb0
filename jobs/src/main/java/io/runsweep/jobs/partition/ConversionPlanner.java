package io.runsweep.jobs.partition;

import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.sql.Column;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.ConversionFacts;
import io.runsweep.sql.postgresql.PartitionedTable;
import io.runsweep.sql.postgresql.PostgresConversion;
import io.runsweep.sql.postgresql.PostgresPartitions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes the plan that converts an unpartitioned PostgreSQL table to range partitions, for a person to
 * review and run: the new table, its partitions, a copy in batches, and a swap of names in one short
 * transaction, with notes on what the conversion changes and an estimate of its time and disk. Reads the
 * table, runs nothing.
 */
public final class ConversionPlanner {
    private static final int MAX_NAME_LENGTH = 63;

    private final PostgresPartitions partitions = new PostgresPartitions();
    private final PostgresConversion sql = new PostgresConversion();

    /** The plan for {@code table}, partitioned by {@code column}, with {@code premake} partitions ahead of now. */
    public String plan(
            Connection connection,
            TableName table,
            String column,
            Interval interval,
            int premake,
            Duration lockTimeout,
            Instant now)
            throws SQLException {
        PartitionedTable current = partitions
                .describe(connection, table)
                .orElseThrow(() -> new PlanException("table \"" + table + "\" does not exist in the database"));
        if (current.strategy() != PartitionedTable.Strategy.NONE) {
            throw new PlanException("table \"" + current.name() + "\" is already partitioned (by "
                    + current.strategy().name().toLowerCase(Locale.ROOT) + " on " + current.keyColumns() + ")");
        }
        Column key = key(current.table(), column);
        checkNames(current.name(), interval);
        ConversionFacts facts = sql.facts(connection, current.table(), key);
        Conversion conversion = new Conversion(facts, interval, premake, lockTimeout, now);
        PlanText out = new PlanText();
        ConversionNotes.write(conversion, out);
        ConversionScript.write(conversion, sql, out);
        return out.toString();
    }

    private static Column key(Table table, String column) {
        Column key = table.column(column)
                .orElseThrow(() -> new PlanException(
                        "table \"" + table.name() + "\" has no column \"" + column + "\"; its columns are "
                                + table.columns().stream().map(Column::name).toList()));
        if (!key.category().isTime()) {
            throw new PlanException("column \"" + key.name() + "\" of \"" + table.name() + "\" is of type "
                    + key.typeName() + "; Runsweep partitions by timestamptz, timestamp or date");
        }
        return key;
    }

    private static void checkNames(TableName table, Interval interval) {
        int longest = Math.max(
                "_unpartitioned".length(),
                Intervals.suffix(interval, Instant.EPOCH).length());
        if (table.name().length() + longest > MAX_NAME_LENGTH) {
            throw new PlanException(
                    "table name \"" + table.name() + "\" is too long for the plan's names (\"" + table.name()
                            + "_unpartitioned\" and its partitions' must fit in " + MAX_NAME_LENGTH + " characters)");
        }
    }
}
