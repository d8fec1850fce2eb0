package io.runsweep.jobs.check;

import io.runsweep.sql.TableBytes;
import io.runsweep.sql.VacuumStats;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One table's size and rows.
 *
 * @param table the table's name as the catalog spells it: the label of its metrics
 * @param configuredAs every name the configuration gives it (an alert may write {@code public.log})
 * @param rows empty when unknown: PostgreSQL has no estimate before the table is first analyzed
 * @param rowsExact whether {@code rows} was counted rather than estimated
 * @param vacuum dead rows and upkeep, on PostgreSQL
 */
public record TableCheck(String table, Set<String> configuredAs, TableBytes bytes, OptionalLong rows,
    boolean rowsExact, Optional<VacuumStats> vacuum) {

  public TableCheck {
    configuredAs = Set.copyOf(configuredAs);
  }

  public boolean isNamed(String name) {
    return table.equals(name) || configuredAs.contains(name);
  }
}
