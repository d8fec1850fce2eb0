package io.runsweep.jobs.common;

import java.time.Duration;
import java.util.Locale;

/**
 * Numbers as every report, log line and alert message shows them, one way each: sizes in binary units
 * ({@code 48.0 MiB}), counts with separators ({@code 15,000}), elapsed time in seconds ({@code 0.91 s}), ages
 * in their two largest units ({@code 3d 4h}), shares as percentages, and durations as the configuration writes
 * them ({@code 90d}).
 */
public final class Formats {
    private static final String[] BINARY_UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private Formats() {}

    /** {@code 812 B}, {@code 48.0 MiB}, {@code 6.1 GiB}. */
    public static String bytes(double bytes) {
        if (Math.abs(bytes) < 1024) {
            return String.format(Locale.ROOT, "%.0f B", bytes);
        }
        double value = bytes;
        int unit = -1;
        while (Math.abs(value) >= 1023.95 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BINARY_UNITS[unit]);
    }

    /** {@code 50,331,648 bytes (48.0 MiB)}: the exact figure where a decision rests on it. */
    public static String bytesExact(long bytes) {
        return String.format(Locale.ROOT, "%,d bytes (%s)", bytes, bytes(bytes));
    }

    /** {@code 15,000}. */
    public static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    /** {@code 1 row}, {@code 22,000 rows}: the count and the noun, plural unless the count is one. */
    public static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    /** {@code 1 batch}, {@code 12 batches}: for a noun whose plural is not its singular and an s. */
    public static String count(long n, String singular, String plural) {
        return count(n) + " " + noun(n, singular, plural);
    }

    /** The noun alone, for a count shown apart from it (a table's column): plural unless {@code n} is one. */
    public static String noun(long n, String singular, String plural) {
        return n == 1 ? singular : plural;
    }

    /** {@code 0.91 s}. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    /** The two largest units: {@code 120d 3h}, {@code 2h 5m}, {@code 42s}; a zero second unit is left out. */
    public static String age(Duration age) {
        if (age.isNegative()) {
            return "-" + age(age.negated());
        }
        long seconds = age.getSeconds();
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length - 1; i++) {
            if (seconds >= sizes[i]) {
                long rest = seconds % sizes[i] / sizes[i + 1];
                return seconds / sizes[i] + names[i] + (rest == 0 ? "" : " " + rest + names[i + 1]);
            }
        }
        return seconds + "s";
    }

    public static String age(double seconds) {
        return age(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /** {@code 25.0%}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** As the configuration writes a duration, in its largest whole unit: {@code 90d}, {@code 36h}, {@code 45m}. */
    public static String configDuration(Duration d) {
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + "d";
        }
        if (d.toSeconds() % 3_600 == 0) {
            return d.toHours() + "h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }
}
