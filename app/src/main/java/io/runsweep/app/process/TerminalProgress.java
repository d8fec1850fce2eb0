package io.runsweep.app.process;

import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PurgeProgress;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line progress display, redrawn in place: the rows deleted so far out of those the plan expects,
 * batches, and the time left at the pace so far. Shown only when stderr is a terminal, so that logs and pipes
 * stay clean, and only after a quiet second, so short runs print nothing extra. Log lines never share its
 * line ({@link TerminalLine}).
 */
public final class TerminalProgress implements PurgeProgress, AutoCloseable {
    private static final Duration QUIET = Duration.ofSeconds(1);

    private final PrintStream err;
    private final boolean enabled;
    private final long quietNanos;
    private final long started = System.nanoTime();
    private long runStarted = started;
    private long expected = -1;
    /** The last batch of the policy running now, if it had one. */
    private BatchEvent lastBatch;

    private TerminalProgress(PrintStream err, boolean enabled, Duration quiet) {
        this.err = err;
        this.enabled = enabled;
        this.quietNanos = quiet.toNanos();
    }

    public static TerminalProgress forStderr() {
        return new TerminalProgress(System.err, System.console() != null, QUIET);
    }

    /** A display on {@code err}, drawn from the first batch on: for a terminal the caller knows of. */
    public static TerminalProgress on(PrintStream err) {
        return new TerminalProgress(err, true, Duration.ZERO);
    }

    @Override
    public void started(String policy, String table, long expectedRows) {
        runStarted = System.nanoTime();
        expected = expectedRows;
        lastBatch = null;
    }

    @Override
    public void batchCommitted(BatchEvent event) {
        lastBatch = event;
        long now = System.nanoTime();
        if (showing(now)) {
            TerminalLine.show(err, line(event, Duration.ofNanos(now - runStarted)));
        }
    }

    /**
     * {@code logs: counting the rows of "log" that match, before the first batch}: on a large table a long read,
     * before any batch moves the line.
     */
    @Override
    public void countingBeforeFirstBatch(String policy, String table) {
        if (showing(System.nanoTime())) {
            TerminalLine.show(
                    err, policy + ": counting the rows of \"" + table + "\" that match, before the first batch");
        }
    }

    /**
     * {@code logs: 700,000 rows from "log" in 14 batches; reading the whole table for rows that moved behind them}:
     * that read can take minutes on a large table, and no batch moves the line meanwhile.
     */
    @Override
    public void countingWhatIsLeft(String policy, String table) {
        if (!showing(System.nanoTime()) || lastBatch == null) {
            return;
        }
        TerminalLine.show(
                err,
                policy + ": " + Formats.count(lastBatch.rowsSoFar(), "row") + " from \"" + table + "\" in "
                        + Formats.count(lastBatch.batches(), "batch", "batches")
                        + "; reading the whole table for rows that moved behind them");
    }

    /** Whether the line is drawn at {@code now}: on a terminal, once the quiet start is over. */
    private boolean showing(long now) {
        return enabled && now - started >= quietNanos;
    }

    /** {@code logs: 12,000 of ~40,000 rows from "log" (30.0%), 24 batches, about 1m 10s left}. */
    private String line(BatchEvent event, Duration elapsed) {
        StringBuilder line = new StringBuilder(event.policy()).append(": ").append(Formats.count(event.rowsSoFar()));
        long total = Math.max(expected, event.rowsSoFar());
        if (expected > 0) {
            line.append(" of ~").append(Formats.count(total));
        }
        line.append(' ')
                .append(Formats.noun(total, "row", "rows"))
                .append(" from \"")
                .append(event.table())
                .append("\"");
        if (expected > 0) {
            line.append(" (")
                    .append(Formats.percent((double) event.rowsSoFar() / total))
                    .append(")");
        }
        line.append(", ").append(Formats.count(event.batches(), "batch", "batches"));
        if (expected > 0 && event.rowsSoFar() > 0) {
            long left = elapsed.toMillis() * (total - event.rowsSoFar()) / event.rowsSoFar();
            line.append(", about ").append(Formats.age(Duration.ofMillis(left))).append(" left");
        }
        return line.toString();
    }

    @Override
    public void close() {
        TerminalLine.clear();
    }
}
