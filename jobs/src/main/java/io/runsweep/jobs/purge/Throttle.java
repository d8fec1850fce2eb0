package io.runsweep.jobs.purge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the batch loop asks before and after each batch, so that a purge gives way to the rest of the system:
 * replicas that fall behind, sessions that wait on the locks a batch holds. One per run of a policy.
 */
public interface Throttle extends AutoCloseable {
    /** Never waits. */
    Throttle NONE = new Throttle() {
        @Override
        public Optional<String> awaitClearance(Connection connection, Supplier<Optional<String>> stop) {
            return Optional.empty();
        }

        @Override
        public void beforeCommit(Connection connection) {}

        @Override
        public boolean afterCommit(Supplier<Optional<String>> stop) {
            return false;
        }

        @Override
        public Duration waited() {
            return Duration.ZERO;
        }
    };

    /** Makes the throttle of one run of a policy. */
    @FunctionalInterface
    interface Factory {
        Factory NONE = (plan, progress) -> Throttle.NONE;

        Throttle start(PurgePlan plan, PurgeProgress progress);
    }

    /**
     * Before a batch, outside any transaction: returns at once when batches may go on; else waits, asking again
     * every interval, until they may.
     *
     * @param stop asked while waiting: a reason to stop the run now (a stop signal, its max-runtime)
     * @return why the run must stop instead of going on; empty to go on
     */
    Optional<String> awaitClearance(Connection connection, Supplier<Optional<String>> stop) throws SQLException;

    /** Inside each batch's transaction, just before its commit, while it holds all its locks. */
    void beforeCommit(Connection connection) throws SQLException;

    /** After each commit: true when the next batch must be smaller; it has waited first, when it must. */
    boolean afterCommit(Supplier<Optional<String>> stop);

    /** Time this run has spent waiting so far. */
    Duration waited();

    /** The run is over: connections opened to watch replicas are closed. */
    @Override
    default void close() {}
}
