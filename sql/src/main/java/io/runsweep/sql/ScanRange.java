package io.runsweep.sql;

/**
 * A table's physical order as range batches sweep it, with the rows it holds, as cheaply as the database
 * can say.
 *
 * @param rows rows in the table (PostgreSQL: the planner's estimate; SQLite: a count)
 * @param start first value of the range: heap block 0, or the smallest rowid
 * @param end one past the last value: the number of heap blocks, or the largest rowid + 1
 */
public record ScanRange(long rows, long start, long end) {
    public long length() {
        return Math.max(0, end - start);
    }
}
