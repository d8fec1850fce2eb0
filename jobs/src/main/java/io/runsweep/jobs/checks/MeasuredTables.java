package io.runsweep.jobs.checks;

import io.runsweep.sql.TableName;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tables to measure, each once by its catalog name, in the order they were first named. */
final class MeasuredTables {
    /** One table, and the names the configuration gives it. */
    record Managed(TableName name, Set<String> configuredAs) {}

    private final Map<String, Managed> tables = new LinkedHashMap<>();

    void add(TableName catalogName) {
        tables.computeIfAbsent(catalogName.toString(), k -> new Managed(catalogName, new LinkedHashSet<>()));
    }

    void add(TableName catalogName, String configuredAs) {
        add(catalogName);
        tables.get(catalogName.toString()).configuredAs().add(configuredAs);
    }

    List<Managed> all() {
        return List.copyOf(tables.values());
    }
}
