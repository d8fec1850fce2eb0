package io.runsweep.sql;

/**
 * A PostgreSQL table's size and its row counts as the cumulative statistics system reports them.
 *
 * @param totalBytes {@code pg_total_relation_size}: the table with its indexes and TOAST
 * @param liveRows {@code pg_stat_user_tables.n_live_tup}, an estimate
 * @param deadRows {@code pg_stat_user_tables.n_dead_tup}: deleted or updated rows that VACUUM has not yet removed
 */
public record TableFigures(long totalBytes, long liveRows, long deadRows) {

  /** Dead rows as a share of all rows, live and dead; 0 for an empty table. */
  public double deadFraction() {
    long all = liveRows + deadRows;
    return all == 0 ? 0.0 : (double) deadRows / all;
  }
}
