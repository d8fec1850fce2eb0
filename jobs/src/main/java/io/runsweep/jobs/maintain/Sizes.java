package io.runsweep.jobs.maintain;

import java.util.Locale;

/** Byte counts as people read them, exact figures kept alongside where a decision rests on them. */
public final class Sizes {
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

  private Sizes() {}

  /** {@code 812 B}, {@code 48.0 MiB}. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /** {@code 50,331,648 bytes (48.0 MiB)}. */
  public static String exact(long bytes) {
    return String.format(Locale.ROOT, "%,d bytes (%s)", bytes, human(bytes));
  }
}
