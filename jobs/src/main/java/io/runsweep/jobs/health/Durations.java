package io.runsweep.jobs.health;

import java.time.Duration;

/** Durations as the configuration writes them: {@code 90d}, {@code 36h}, {@code 45m}. */
final class Durations {
  private Durations() {}

  static String of(Duration d) {
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
