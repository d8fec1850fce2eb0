package io.runsweep.jobs.check;

import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.Stats;
import io.runsweep.sql.TableBytes;
import io.runsweep.sql.TableInfo;
import io.runsweep.sql.VacuumStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;

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
  Optional<TableCheck> check(Connection connection, ManagedTables.Managed table) throws SQLException {
    Optional<TableInfo> info = dialect.describe(connection, table.name());
    if (info.isEmpty()) {
      return Optional.empty();
    }
    // Statistics first: a count reads every page, and PostgreSQL may prune dead rows from pages it reads.
    Optional<VacuumStats> vacuum = stats.vacuum(connection, info.get());
    TableBytes bytes = stats.bytes(connection, info.get());
    OptionalLong estimate = exactCounts ? OptionalLong.empty() : stats.estimatedRows(connection, info.get());
    // SQLite without sqlite_stat1 has no estimate, and counting there is what every SQLite tool does.
    boolean count = exactCounts || (estimate.isEmpty() && dialect.kind() == DatabaseKind.SQLITE);
    OptionalLong rows = count ? OptionalLong.of(stats.exactRows(connection, info.get())) : estimate;
    return Optional.of(new TableCheck(info.get().name().toString(), table.configuredAs(), bytes, rows, count, vacuum));
  }
}
