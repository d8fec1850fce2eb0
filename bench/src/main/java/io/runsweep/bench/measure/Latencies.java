package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Every latency one kind of operation had while a method ran, kept whole so that runs can be pooled and any
 * percentile read exactly (a few thousand values a run).
 */
public final class Latencies {
    public static final Latencies NONE = new Latencies(new long[0]);

    private final long[] sortedNanos;

    private Latencies(long[] sortedNanos) {
        this.sortedNanos = sortedNanos;
    }

    public static Latencies of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Latencies(copy);
    }

    /** Every run's latencies as one sample. */
    public static Latencies pooled(List<Latencies> runs) {
        return of(runs.stream().flatMapToLong(r -> Arrays.stream(r.sortedNanos)).toArray());
    }

    public long count() {
        return sortedNanos.length;
    }

    /** The nearest-rank percentile: the smallest value at least {@code percent}% of the sample do not exceed. */
    public Duration percentile(double percent) {
        if (sortedNanos.length == 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(sortedNanos[Math.max(rank(percent), 1) - 1]);
    }

    /**
     * How many values may take longer than a bound while the {@code percent} percentile stays within it: the
     * percentile is the value of rank {@link #rank}, so it exceeds the bound exactly when more do.
     */
    public long allowedAbove(double percent) {
        return sortedNanos.length - rank(percent);
    }

    private int rank(double percent) {
        return (int) Math.ceil(percent / 100 * sortedNanos.length);
    }

    public Duration p50() {
        return percentile(50);
    }

    public Duration p99() {
        return percentile(99);
    }

    public Duration max() {
        return percentile(100);
    }

    /** How many took longer than {@code bound}. */
    public long over(Duration bound) {
        long nanos = bound.toNanos();
        return Arrays.stream(sortedNanos).filter(n -> n > nanos).count();
    }
}
