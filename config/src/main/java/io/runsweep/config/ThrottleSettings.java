package io.runsweep.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a purge gives way to the rest of the system ({@code runsweep.throttle}), PostgreSQL only.
 *
 * @param maxReplicaLag batches pause while a replica replays more than this far behind; empty = not watched
 * @param replicaUrls replicas asked directly for their replay lag; empty = read {@code pg_stat_replication} on
 *     the primary
 * @param maxLockWaiters when more sessions than this wait on locks a batch holds, the next batch shrinks and
 *     waits; empty = not watched
 * @param interval how long a paused run waits before asking again, and how long it waits after a batch that
 *     held sessions up
 * @param maxWait a run paused this long in one stretch stops, saying why; zero = waits as long as it takes
 */
public record ThrottleSettings(
        Optional<Duration> maxReplicaLag,
        List<String> replicaUrls,
        Optional<Integer> maxLockWaiters,
        Duration interval,
        Duration maxWait) {

    public ThrottleSettings {
        replicaUrls = List.copyOf(replicaUrls);
    }

    /** Nothing watched: batches never wait for replicas or for other sessions. */
    public static final ThrottleSettings OFF =
            new ThrottleSettings(Optional.empty(), List.of(), Optional.empty(), Duration.ofSeconds(1), Duration.ZERO);

    /** Replica URLs may carry passwords: shown masked. */
    @Override
    public String toString() {
        return "ThrottleSettings[maxReplicaLag=" + maxReplicaLag + ", replicaUrls="
                + replicaUrls.stream().map(Secret::maskUrl).toList() + ", maxLockWaiters=" + maxLockWaiters
                + ", interval=" + interval + ", maxWait=" + maxWait + "]";
    }

    public boolean enabled() {
        return maxReplicaLag.isPresent() || maxLockWaiters.isPresent();
    }
}
