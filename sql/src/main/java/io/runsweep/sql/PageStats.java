package io.runsweep.sql;

/**
 * The pages of a SQLite database file. Deleted rows leave free pages that only VACUUM gives back, so
 * the file never shrinks on its own.
 */
public record PageStats(long pageSize, long pageCount, long freePages) {}
