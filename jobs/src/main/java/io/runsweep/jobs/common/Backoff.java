package io.runsweep.jobs.common;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before each retry, for everything Runsweep retries (delete batches, partition DDL,
 * webhooks): {@code first}, then doubling, up to {@code most} (and never more than 1,024 times {@code first}).
 * With jitter, each wait is drawn uniformly from its upper half, so that sessions retrying together do not
 * meet again in step.
 */
public record Backoff(Duration first, Duration most, boolean jitter) {

    /** Doubling without a bound beyond 1,024 times {@code first}. */
    public static Backoff doubling(Duration first, boolean jitter) {
        return new Backoff(first, first.multipliedBy(1024), jitter);
    }

    /** @param retry 1 for the wait before the first retry */
    public Duration delay(int retry) {
        long base = Math.min(first.toMillis() << Math.min(Math.max(retry - 1, 0), 10), most.toMillis());
        if (!jitter) {
            return Duration.ofMillis(base);
        }
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(base / 2, Math.max(base, 1) + 1));
    }
}
