package io.runsweep.bench.measure;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * When each seeded row happened, as a function of its number {@code i} (0 to {@code rows - 1}) that the
 * seeding SQL evaluates: {@code oldStartMicros + i * oldStepMicros} for the first {@code oldRows} rows,
 * evenly before the cutoff; {@code recentStartMicros + (i - oldRows) * recentStepMicros} for the others,
 * evenly after it. No row lies within the margin of the cutoff, so that whether a row expires never
 * depends on the seconds between seeding and deleting. Times are microseconds since the epoch.
 */
public record RowTimes(
        long rows,
        long oldRows,
        long oldStartMicros,
        long oldStepMicros,
        long recentStartMicros,
        long recentStepMicros) {

    public RowTimes {
        if (rows < 1 || oldRows < 0 || oldRows > rows || oldStepMicros < 0 || recentStepMicros < 0) {
            throw new IllegalArgumentException("row times: rows=" + rows + ", oldRows=" + oldRows);
        }
    }

    /**
     * {@code rows} rows at an even rate over {@code history} up to {@code now}, the oldest {@code oldRows}
     * before {@code cutoff}, with {@code margin} kept clear on both sides of the cutoff.
     */
    public static RowTimes spread(
            long rows, long oldRows, Instant now, Instant cutoff, Duration history, Duration margin) {
        long cutoffMicros = micros(cutoff);
        long oldStart = micros(now.minus(history));
        long oldEnd = cutoffMicros - margin.toNanos() / 1000;
        long recentStart = cutoffMicros + margin.toNanos() / 1000;
        long recentEnd = micros(now) - margin.toNanos() / 1000;
        return new RowTimes(
                rows,
                oldRows,
                oldStart,
                step(oldEnd - oldStart, oldRows),
                recentStart,
                step(recentEnd - recentStart, rows - oldRows));
    }

    private static long step(long spanMicros, long count) {
        return count <= 1 ? 0 : spanMicros / (count - 1);
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
