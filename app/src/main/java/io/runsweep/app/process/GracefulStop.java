package io.runsweep.app.process;

import io.runsweep.jobs.purge.StopSignal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and Ctrl-C into a stop at the next batch boundary: the batch under way commits or
 * rolls back whole, the summary is printed, and only then does the JVM exit. Reads under way (planning, a dry
 * run's counts) and maintenance (a VACUUM) are cancelled rather than waited for.
 */
public final class GracefulStop implements AutoCloseable {
    private static final long WAIT_SECONDS = 60;

    private final StopSignal signal = new StopSignal();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "runsweep-graceful-stop");

    public static GracefulStop install() {
        GracefulStop stop = new GracefulStop();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    public StopSignal signal() {
        return signal;
    }

    private void onShutdown() {
        signal.raise("a stop signal (SIGTERM or Ctrl-C)");
        try {
            finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The work is done and reported; a shutdown under way may now proceed. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and now returns: the JVM was already exiting
        }
    }
}
