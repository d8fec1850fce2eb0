package io.runsweep.jobs.bench;

import io.runsweep.sql.bench.RowTimes;
import java.time.Duration;
import java.time.Instant;

/**
 * One data set: {@code rows} rows at an even rate over {@code history} up to {@code now}, of which the
 * oldest {@code oldRows} are older than {@code olderThan}.
 */
record Workload(Scenario scenario, long rows, long oldRows, Duration olderThan, Duration history, Instant now) {
  /** No row lies within this of the cutoff, so the seconds between seeding and deleting never matter. */
  static final Duration MARGIN = Duration.ofHours(1);

  /** {@code rows} over {@code history}, of which the part older than {@code olderThan} is old. */
  static Workload of(Scenario scenario, long rows, Duration olderThan, Duration history, Instant now) {
    long oldRows = rows * (history.toMinutes() - olderThan.toMinutes()) / history.toMinutes();
    return new Workload(scenario, rows, oldRows, olderThan, history, now);
  }

  Instant cutoff() {
    return now.minus(olderThan);
  }

  RowTimes times() {
    return RowTimes.spread(rows, oldRows, now, cutoff(), history, MARGIN);
  }
}
