package io.runsweep.config;

import java.time.Duration;

/**
 * How batches are sized: each aims at {@code targetDuration}, growing and shrinking from measured
 * durations between {@code minSize} and {@code maxSize} rows, with {@code pause} between batches.
 */
public record BatchSettings(Duration targetDuration, Duration pause, int minSize, int maxSize) {
  public static final BatchSettings DEFAULTS = new BatchSettings(Duration.ofMillis(200), Duration.ZERO, 100, 50_000);
}
