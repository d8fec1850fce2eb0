package io.runsweep.config;

import java.time.Duration;

/**
 * How batches are sized and retried: each aims at {@code targetDuration}, growing and shrinking from
 * measured durations between {@code minSize} and {@code maxSize} rows, with {@code pause} between
 * batches. A batch that fails for a passing reason (a lock or busy timeout, a deadlock, a lost
 * connection) is tried again up to {@code retries} times, after a backoff that starts at
 * {@code retryBackoff} and doubles, with jitter.
 */
public record BatchSettings(
        Duration targetDuration, Duration pause, int minSize, int maxSize, int retries, Duration retryBackoff) {}
