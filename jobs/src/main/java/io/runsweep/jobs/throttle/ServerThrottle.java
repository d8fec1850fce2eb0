package io.runsweep.jobs.throttle;

import io.runsweep.config.ThrottleSettings;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.Throttle;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.postgresql.PostgresReplication;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runsweep.throttle} on PostgreSQL: before each batch, waits while a replica replays more than
 * max-replica-lag behind; inside each batch, counts the sessions waiting on its locks, and after it, when more
 * than max-lock-waiters did, halves the next batch and waits an interval first, so that they go ahead.
 */
public final class ServerThrottle implements Throttle {
    private static final Logger LOG = LoggerFactory.getLogger(ServerThrottle.class);
    private static final long SLICE_MILLIS = 50;

    private final ThrottleSettings settings;
    private final String policy;
    private final PurgeProgress progress;
    private final ReplicaLags lags;
    private final PostgresReplication replication = new PostgresReplication();
    private Duration waited = Duration.ZERO;
    private int waiters;

    private ServerThrottle(ThrottleSettings settings, String policy, PurgeProgress progress) {
        this.settings = settings;
        this.policy = policy;
        this.progress = progress;
        this.lags = new ReplicaLags(settings.replicaUrls());
    }

    /** The throttle each run gets: none on SQLite, nor when nothing is watched. */
    public static Throttle.Factory factory(ThrottleSettings settings, DatabaseKind kind) {
        if (settings.enabled() && kind != DatabaseKind.POSTGRESQL) {
            LOG.warn("runsweep.throttle watches PostgreSQL replicas and lock waiters; this database is SQLite, whose"
                    + " batches it leaves as they are");
        }
        if (!settings.enabled() || kind != DatabaseKind.POSTGRESQL) {
            return Throttle.Factory.NONE;
        }
        return (PurgePlan plan, PurgeProgress progress) -> new ServerThrottle(settings, plan.name(), progress);
    }

    @Override
    public Optional<String> awaitClearance(Connection connection, Supplier<Optional<String>> stop) throws SQLException {
        if (settings.maxReplicaLag().isEmpty()) {
            return Optional.empty();
        }
        long began = System.nanoTime();
        List<String> over = lags.over(connection, settings.maxReplicaLag().get());
        if (over.isEmpty()) {
            return Optional.empty();
        }
        String why = String.join("; ", over);
        LOG.info("{} - paused: {}", policy, why);
        while (!over.isEmpty()) {
            why = String.join("; ", over);
            Duration paused = Duration.ofNanos(System.nanoTime() - began);
            if (!settings.maxWait().isZero() && paused.compareTo(settings.maxWait()) >= 0) {
                return Optional.of(
                        ended(began, "throttle.max-wait " + Formats.seconds(settings.maxWait()) + " (" + why + ")"));
            }
            Optional<String> stopNow = sleep(settings.interval(), stop);
            if (stopNow.isPresent()) {
                return Optional.of(ended(began, stopNow.get()));
            }
            over = lags.over(connection, settings.maxReplicaLag().get());
        }
        ended(began, why);
        LOG.info(
                "{} - resumed after {}: every replica within max-replica-lag",
                policy,
                Formats.seconds(Duration.ofNanos(System.nanoTime() - began)));
        return Optional.empty();
    }

    /** Counts the wait of this pause; returns the reason given. */
    private String ended(long began, String reason) {
        Duration paused = Duration.ofNanos(System.nanoTime() - began);
        waited = waited.plus(paused);
        progress.throttled(new PurgeProgress.ThrottleEvent(policy, "replica_lag", paused, reason));
        return reason;
    }

    @Override
    public void beforeCommit(Connection connection) throws SQLException {
        waiters = settings.maxLockWaiters().isPresent() ? replication.lockWaiters(connection) : 0;
    }

    @Override
    public boolean afterCommit(Supplier<Optional<String>> stop) {
        int max = settings.maxLockWaiters().orElse(Integer.MAX_VALUE);
        if (waiters <= max) {
            return false;
        }
        String why = waiters + (waiters == 1 ? " session" : " sessions") + " waited on the batch's locks (more than"
                + " max-lock-waiters " + max + ")";
        LOG.info(
                "{} - {}: the next batch is halved and starts {} later",
                policy,
                why,
                Formats.seconds(settings.interval()));
        long began = System.nanoTime();
        sleep(settings.interval(), stop);
        Duration paused = Duration.ofNanos(System.nanoTime() - began);
        waited = waited.plus(paused);
        progress.throttled(new PurgeProgress.ThrottleEvent(policy, "lock_waiters", paused, why));
        return true;
    }

    /** Sleeps {@code duration} in short slices; why the run must stop, if it must, as soon as it must. */
    private static Optional<String> sleep(Duration duration, Supplier<Optional<String>> stop) {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            Optional<String> stopNow = stop.get();
            if (stopNow.isPresent()) {
                return stopNow;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(SLICE_MILLIS, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        }
        return stop.get();
    }

    @Override
    public Duration waited() {
        return waited;
    }

    @Override
    public void close() {
        lags.close();
    }
}
