package io.runsweep.jobs.checks;

import io.runsweep.sql.TableStats;
import java.util.Set;

/**
 * One table's size and rows.
 *
 * @param table the table's name as the catalog spells it: the label of its metrics
 * @param configuredAs every name the configuration gives it (an alert may write {@code public.log})
 */
public record TableCheck(String table, Set<String> configuredAs, TableStats stats) {

    public TableCheck {
        configuredAs = Set.copyOf(configuredAs);
    }

    public boolean isNamed(String name) {
        return table.equals(name) || configuredAs.contains(name);
    }
}
