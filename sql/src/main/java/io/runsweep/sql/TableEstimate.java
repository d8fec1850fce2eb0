package io.runsweep.sql;

/**
 * How big a table is, as cheaply as the database can say.
 *
 * @param rows estimated rows (PostgreSQL: the planner's statistics; SQLite: an exact count)
 * @param rangeStart first value of the range batches sweep: heap block 0, or the smallest rowid
 * @param rangeEnd one past the last value: the number of heap blocks, or the largest rowid + 1
 */
public record TableEstimate(long rows, long rangeStart, long rangeEnd) {
  public long rangeLength() {
    return Math.max(0, rangeEnd - rangeStart);
  }
}
