package io.runsweep.jobs.purge;

import io.runsweep.sql.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a run to stop at the next batch boundary: the batch under way commits or rolls back whole,
 * and no new one starts. Waits between batches (pauses, retry backoff) end early when it is raised. Work that may be
 * cut off anywhere (reads: planning, a dry run's counts; maintenance: a VACUUM the server rolls back) is not waited
 * for: raising the signal cancels the statement it is running.
 */
public final class StopSignal {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);
    private static final long POLL_MILLIS = 50;
    private static final long RECANCEL_MILLIS = 200;

    private final CountDownLatch raised = new CountDownLatch(1);
    private final Set<Cancelling> cancellings;
    private final BooleanSupplier outside;
    private final Optional<StopSignal> parent;
    private final AtomicBoolean recancelling = new AtomicBoolean();
    private volatile String reason = "";

    public StopSignal() {
        this(ConcurrentHashMap.newKeySet(), () -> false, "", Optional.empty());
    }

    private StopSignal(
            Set<Cancelling> cancellings, BooleanSupplier outside, String outsideReason, Optional<StopSignal> parent) {
        this.cancellings = cancellings;
        this.outside = outside;
        this.reason = outsideReason;
        this.parent = parent;
    }

    /**
     * A signal raised when this one is, and also whenever {@code condition} holds (one job's run, while a daemon has
     * been asked to stop). Raising this one cancels the work run under either.
     */
    public StopSignal orWhen(BooleanSupplier condition, String why) {
        return new StopSignal(cancellings, () -> raised() || condition.getAsBoolean(), why, Optional.of(this));
    }

    public void raise(String why) {
        reason = why;
        raised.countDown();
        cancelAgain();
        if (!cancellings.isEmpty() && !recancelling.getAndSet(true)) {
            Thread thread = new Thread(this::cancelAgainWhileWorkRuns, "runsweep-stop-cancelling");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Runs {@code work} on {@code connection}, whose statement under way {@code dialect} cancels if this signal is
     * raised meanwhile: only work that may be cut off anywhere, never a batch. Only {@link #raise} cancels (this signal's, or
     * that of the signal it was made from by {@link #orWhen}), which also keeps work from starting.
     *
     * @return empty when the stop came while it ran: a failure then is the cancellation's, not the database's, and a
     *     result is not shown, since a step may have taken its cancelled statement for an ordinary failure
     */
    public <T> Optional<T> unlessStopped(Dialect dialect, Connection connection, Work<T> work) throws SQLException {
        Cancelling cancelling = new Cancelling(() -> dialect.cancelRunning(connection));
        cancellings.add(cancelling);
        try {
            // Not the condition of orWhen: a run asks that only at its batch boundaries.
            if (raisedByHand()) {
                return Optional.empty();
            }
            T result = work.run();
            return cancelling.cancelled ? Optional.empty() : Optional.of(result);
        } catch (SQLException | RuntimeException e) {
            if (cancelling.cancelled) {
                return Optional.empty();
            }
            throw e;
        } finally {
            cancellings.remove(cancelling);
            cancelling.end();
        }
    }

    private void cancelAgain() {
        cancellings.forEach(Cancelling::cancel);
    }

    /**
     * Cancels again, every {@value #RECANCEL_MILLIS} ms, the work still running after a raise: work that began its
     * next statement after the first cancel, or just as it came, is stopped too.
     */
    private void cancelAgainWhileWorkRuns() {
        try {
            while (!cancellings.isEmpty()) {
                Thread.sleep(RECANCEL_MILLIS);
                cancelAgain();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Raised by {@link #raise}, this signal's or that of the signal it was made from. */
    private boolean raisedByHand() {
        return raised.getCount() == 0 || parent.map(StopSignal::raisedByHand).orElse(false);
    }

    public boolean raised() {
        return raised.getCount() == 0 || outside.getAsBoolean();
    }

    public String reason() {
        return reason;
    }

    /** Sleeps up to {@code millis}; returns early, true, when the signal is raised. */
    public boolean sleep(long millis) {
        try {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
                if (raised.await(Math.min(left, POLL_MILLIS), TimeUnit.MILLISECONDS) || outside.getAsBoolean()) {
                    return true;
                }
            }
            return raised();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            raise("interrupted");
            return true;
        }
    }

    /** Cancels the statement work is running on its connection; called from the thread that stops. */
    @FunctionalInterface
    private interface Cancel {
        void run() throws SQLException;
    }

    /** Work a stop may cut off anywhere. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * A cancel reaches whatever statement its session runs when the server gets it, so none may be sent once the work
     * has ended: a cancel still under way then (the stopping thread's, or the one sent again every {@value
     * #RECANCEL_MILLIS} ms) would cut off the connection's next statement, one outside any work a stop may cut off.
     */
    private static final class Cancelling {
        private final Cancel cancel;
        private volatile boolean cancelled;
        private boolean ended; // guarded by this

        Cancelling(Cancel cancel) {
            this.cancel = cancel;
        }

        synchronized void cancel() {
            if (ended) {
                return;
            }
            cancelled = true;
            try {
                cancel.run();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("could not cancel a statement for the stop: {}", e.toString());
            }
        }

        /**
         * Waits for a cancel under way to be done, and lets no other begin. The server has signalled the session by
         * the time a cancel returns (pgjdbc waits for it to hang up); one that finds the session idle is dropped.
         */
        synchronized void end() {
            ended = true;
        }
    }
}
