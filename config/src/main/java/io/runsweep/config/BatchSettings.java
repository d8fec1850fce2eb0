package io.runsweep.config;

import java.time.Duration;

/**
 * How batches are sized and retried: each aims at {@code targetDuration}, growing and shrinking from
 * measured durations between {@code minSize} and {@code maxSize} rows, with {@code pause} between
 * batches. A batch that fails for a passing reason (a lock or busy timeout, a deadlock, a lost
 * connection) is tried again up to {@code retries} times, after a backoff that starts at
 * {@code retryBackoff} and doubles, with jitter. On PostgreSQL, {@code compressWal}: the batches write their WAL's
 * full-page images compressed with lz4 where the server writes them whole and lets the role say so.
 */
public record BatchSettings(
        Duration targetDuration,
        Duration pause,
        int minSize,
        int maxSize,
        int retries,
        Duration retryBackoff,
        boolean compressWal) {

    /** With the WAL compressed where it can be, as reference.conf has it. */
    public BatchSettings(
            Duration targetDuration, Duration pause, int minSize, int maxSize, int retries, Duration retryBackoff) {
        this(targetDuration, pause, minSize, maxSize, retries, retryBackoff, true);
    }
}
