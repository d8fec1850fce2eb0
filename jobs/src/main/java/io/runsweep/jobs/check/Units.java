package io.runsweep.jobs.check;

import java.time.Duration;
import java.util.Locale;

/** Sizes, ages and shares as alert messages and reports show them: {@code 6.1 GB}, {@code 3d 4h}, {@code 25.0%}. */
public final class Units {
  private static final String[] BYTE_UNITS = {"kB", "MB", "GB", "TB", "PB"};

  private Units() {}

  /** Decimal units, as HOCON's {@code 5GB} means 5,000,000,000 bytes. */
  public static String bytes(double bytes) {
    if (Math.abs(bytes) < 1000) {
      return String.format(Locale.ROOT, "%.0f B", bytes);
    }
    double value = bytes;
    int unit = -1;
    while (Math.abs(value) >= 999.95 && unit < BYTE_UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
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

  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  public static String count(double n) {
    return String.format(Locale.ROOT, "%,.0f", n);
  }
}
