package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.Locale;

/** How the bench writes times, ratios and sizes, in its tables and in its verdicts alike. */
public final class BenchFormat {
    private BenchFormat() {}

    /** {@code 850 ms} below a second (three digits are honest there), {@code 1.45 s} above. */
    public static String time(Duration d) {
        double millis = d.toNanos() / 1e6;
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        return String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }

    /** A latency: {@code 0.42 ms} below 10 ms, where the fraction matters, then as {@link #time}. */
    public static String latency(Duration d) {
        double millis = d.toNanos() / 1e6;
        if (millis < 10) {
            return String.format(Locale.ROOT, "%.2f ms", millis);
        }
        return time(d);
    }

    /**
     * {@code a vs b} as {@link #latency} writes them, with two decimals where that would write two different
     * latencies alike: a verdict that one is worse must not quote {@code 11 ms vs 11 ms}.
     */
    public static String latencies(Duration a, Duration b) {
        String first = latency(a);
        String second = latency(b);
        if (first.equals(second) && !a.equals(b)) {
            first = String.format(Locale.ROOT, "%.2f ms", a.toNanos() / 1e6);
            second = String.format(Locale.ROOT, "%.2f ms", b.toNanos() / 1e6);
        }
        return first + " vs " + second;
    }

    public static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
