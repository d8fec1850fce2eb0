package io.runsweep.sql;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What PostgreSQL's statistics say of one table's dead rows and upkeep ({@code pg_stat_user_tables}).
 * The counts are the server's running tallies, not a scan: a DELETE adds its rows to {@code deadRows}
 * until VACUUM removes them.
 */
public record VacuumStats(long liveRows, long deadRows, Optional<Instant> lastVacuum, Optional<Instant> lastAutovacuum,
    Optional<Instant> lastAnalyze, Optional<Instant> lastAutoanalyze) {

  /** The later of the last manual and the last automatic VACUUM. */
  public Optional<Instant> lastVacuumed() {
    return Stream.of(lastVacuum, lastAutovacuum).flatMap(Optional::stream).max(Instant::compareTo);
  }

  /** Dead rows as a share of all rows, live and dead; 0 for an empty table. */
  public double deadFraction() {
    long all = liveRows + deadRows;
    return all == 0 ? 0.0 : (double) deadRows / all;
  }
}
