package io.runsweep.jobs.purge;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Asks a run to stop at the next batch boundary: the batch under way commits or rolls back whole,
 * and no new one starts. Waits between batches (pauses, retry backoff) end early when it is raised.
 */
public final class StopSignal {
    private static final long POLL_MILLIS = 50;

    private final CountDownLatch raised = new CountDownLatch(1);
    private final BooleanSupplier outside;
    private volatile String reason = "";

    public StopSignal() {
        this(() -> false, "");
    }

    private StopSignal(BooleanSupplier outside, String outsideReason) {
        this.outside = outside;
        this.reason = outsideReason;
    }

    /** A signal that is also raised whenever {@code condition} holds, e.g. a daemon that is stopping. */
    public static StopSignal whenever(BooleanSupplier condition, String why) {
        return new StopSignal(condition, why);
    }

    public void raise(String why) {
        reason = why;
        raised.countDown();
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
}
