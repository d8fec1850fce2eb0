package io.runsweep.app.process;

import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PurgeProgress;
import java.io.PrintStream;

/**
 * A one-line progress display, redrawn in place, shown only when stderr is a terminal so that logs and
 * pipes stay clean. It waits a second before drawing, so short runs print nothing extra.
 */
public final class TerminalProgress implements PurgeProgress, AutoCloseable {
    private static final long QUIET_NANOS = 1_000_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private boolean drawn;

    private TerminalProgress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    public static TerminalProgress forStderr() {
        return new TerminalProgress(System.err, System.console() != null);
    }

    @Override
    public void batchCommitted(BatchEvent event) {
        if (!enabled || System.nanoTime() - started < QUIET_NANOS) {
            return;
        }
        err.print("\r\033[K" + event.policy() + ": " + Formats.count(event.rowsSoFar()) + " rows from \""
                + event.table() + "\" in " + event.batches() + " batches (last: " + Formats.count(event.rows())
                + " rows in "
                + event.duration().toMillis() + " ms)...");
        err.flush();
        drawn = true;
    }

    @Override
    public void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
