package io.runsweep.jobs.checks;

import io.runsweep.config.CheckSettings.StuckSettings;
import io.runsweep.sql.Column;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts runs in a non-terminal state for too long, with the same predicate a policy uses: the time
 * column (or its fallback where it is NULL) before the cutoff, and the status among the listed values.
 */
final class StuckChecks {
    private final Dialect dialect;

    StuckChecks(Dialect dialect) {
        this.dialect = dialect;
    }

    StuckCheck check(Connection connection, StuckSettings stuck, Instant now) throws SQLException {
        Table table = dialect.describe(connection, TableName.parse(stuck.table()))
                .orElseThrow(() ->
                        new IllegalArgumentException("table \"" + stuck.table() + "\" does not exist in the database"));
        Instant cutoff = now.minus(stuck.olderThan());
        Predicate.Older time = older(connection, table, column(table, stuck.timeColumn()), cutoff);
        Predicate.Older fallback = stuck.timeColumnFallback().isEmpty()
                ? null
                : older(
                        connection,
                        table,
                        column(table, stuck.timeColumnFallback().get()),
                        cutoff);
        Column status = column(table, stuck.statusColumn());
        List<SqlParam> values = new ArrayList<>();
        for (Object value : stuck.statuses()) {
            values.add(dialect.value(status, value));
        }
        Predicate where = Predicate.of(table.name(), time, fallback, status, values, List.of(), null, List.of());
        return new StuckCheck(
                stuck.name(),
                table.name().toString(),
                Counts.of(connection, dialect.count(table, where)),
                stuck.olderThan(),
                cutoff);
    }

    private Predicate.Older older(Connection connection, Table table, Column column, Instant cutoff)
            throws SQLException {
        return dialect.older(connection, table, column, cutoff);
    }

    private static Column column(Table table, String name) {
        return table.column(name)
                .orElseThrow(() ->
                        new IllegalArgumentException("table \"" + table.name() + "\" has no column \"" + name + "\""));
    }
}
