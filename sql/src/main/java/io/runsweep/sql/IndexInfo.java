package io.runsweep.sql;

import java.util.List;
import java.util.OptionalLong;

/**
 * One index of a table, as the catalog describes it.
 *
 * @param columns the key columns in order; an expression shows as {@code (expression)}
 * @param signature everything that decides what the index can answer (method, columns, operator classes,
 *     collations, order, expressions, WHERE predicate), without its name: two indexes of one table with the
 *     same signature duplicate each other
 * @param scans how often the planner used it since statistics were last reset; empty where the database
 *     does not count (SQLite)
 * @param bytes its size on disk; 0 where unknown
 */
public record IndexInfo(
        String name,
        List<String> columns,
        boolean unique,
        boolean primary,
        String signature,
        OptionalLong scans,
        long bytes) {

    public IndexInfo {
        columns = List.copyOf(columns);
    }

    /** Whether a lookup by {@code column} alone can use this index: it is the first key column. */
    public boolean leadsWith(String column) {
        return !columns.isEmpty() && columns.get(0).equals(column);
    }
}
