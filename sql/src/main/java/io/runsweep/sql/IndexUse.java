package io.runsweep.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the database's own planner says a statement would do to reach its rows.
 *
 * @param accesses how each table in the plan is reached, in plan order
 * @param plan the plan as the database printed it
 */
public record IndexUse(List<Access> accesses, List<String> plan) {

    public IndexUse {
        accesses = List.copyOf(accesses);
        plan = List.copyOf(plan);
    }

    /** One table reached through {@code index}, or read whole when {@code index} is null. */
    public record Access(String table, String index) {
        public boolean fullScan() {
            return index == null;
        }
    }

    public List<String> fullScans() {
        return accesses.stream()
                .filter(Access::fullScan)
                .map(Access::table)
                .distinct()
                .toList();
    }

    public List<String> indexes() {
        return accesses.stream()
                .filter(a -> !a.fullScan())
                .map(Access::index)
                .distinct()
                .toList();
    }

    /** One line for a person: each table and its index, or plainly that the whole table would be read. */
    public String summary() {
        if (accesses.isEmpty()) {
            return "no table access (plan: " + String.join(" / ", plan) + ")";
        }
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        for (Access access : accesses) {
            byTable.computeIfAbsent(access.table(), t -> new java.util.ArrayList<>())
                    .add(access.fullScan() ? "NO INDEX, reads the whole table" : "index " + access.index());
        }
        return byTable.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue().stream().distinct().collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
    }
}
