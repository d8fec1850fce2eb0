package io.runsweep.jobs.checks;

import io.runsweep.sql.TableName;
import io.runsweep.sql.TableStats;
import java.util.Set;

/**
 * One table's size and rows.
 *
 * @param table the table's name as the catalog spells it, schema-qualified when not on the search path
 * @param schema the schema it is in, qualified or not: with its bare name, the labels of its metrics
 * @param configuredAs every name the configuration gives it (an alert may write {@code public.log})
 */
public record TableCheck(String table, String schema, Set<String> configuredAs, TableStats stats) {

    public TableCheck {
        configuredAs = Set.copyOf(configuredAs);
    }

    /** The table's name without its schema. */
    public String bareName() {
        return TableName.parse(table).name();
    }

    public boolean isNamed(String name) {
        return table.equals(name) || configuredAs.contains(name);
    }
}
