package io.runsweep.bench.measure;

import java.time.Duration;
import java.time.Instant;

/**
 * One data set: {@code rows} rows at an even rate over {@code history} up to {@code now}, of which the
 * oldest {@code oldRows} are older than {@code olderThan}.
 */
public record Workload(Scenario scenario, long rows, long oldRows, Duration olderThan, Duration history, Instant now) {
    /** No row lies within this of the cutoff, so the seconds between seeding and deleting never matter. */
    public static final Duration MARGIN = Duration.ofHours(1);

    private static final long WARM_UP_ROWS = 20_000;

    /** {@code rows} over {@code history}, of which the part older than {@code olderThan} is old. */
    public static Workload of(Scenario scenario, long rows, Duration olderThan, Duration history, Instant now) {
        long oldRows = rows * (history.toMinutes() - olderThan.toMinutes()) / history.toMinutes();
        return new Workload(scenario, rows, oldRows, olderThan, history, now);
    }

    /**
     * The data set the engine warms up on before the measured runs ({@link Methods#warmUpEngine}): the same ages and
     * share to go, {@value #WARM_UP_ROWS} rows (or fewer, when this one has fewer).
     */
    public Workload forWarmUp() {
        return of(scenario, Math.min(WARM_UP_ROWS, rows), olderThan, history, now);
    }

    public Instant cutoff() {
        return now.minus(olderThan);
    }

    public RowTimes times() {
        return RowTimes.spread(rows, oldRows, now, cutoff(), history, MARGIN);
    }
}
