package io.runsweep.sql;

/**
 * Bytes one table takes on disk; {@code total = table + indexes + toast}.
 *
 * @param table the table's own storage (PostgreSQL: the heap with its free-space and visibility maps)
 * @param indexes every index of the table
 * @param toast PostgreSQL's out-of-line storage of large values, with its index; 0 on SQLite
 */
public record TableBytes(long total, long table, long indexes, long toast) {}
