package io.runsweep.jobs.checks;

import io.runsweep.sql.Dialect;
import io.runsweep.sql.Stats;
import io.runsweep.sql.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** A table's bytes, rows and (PostgreSQL) dead rows and upkeep. */
final class TableChecks {
    private final Dialect dialect;
    private final Stats stats;
    private final boolean exactCounts;

    TableChecks(Dialect dialect, Stats stats, boolean exactCounts) {
        this.dialect = dialect;
        this.stats = stats;
        this.exactCounts = exactCounts;
    }

    /** Empty when the table does not exist. */
    Optional<TableCheck> check(Connection connection, MeasuredTables.Managed table, String currentSchema)
            throws SQLException {
        Optional<Table> info = dialect.describe(connection, table.name());
        if (info.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TableCheck(
                info.get().name().toString(),
                info.get().name().schema().orElse(currentSchema),
                table.configuredAs(),
                stats.table(connection, info.get().name(), exactCounts)));
    }
}
