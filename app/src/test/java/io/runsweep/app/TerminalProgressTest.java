package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.process.Logs;
import io.runsweep.app.process.TerminalProgress;
import io.runsweep.jobs.purge.PurgeProgress.BatchEvent;
import io.runsweep.jobs.purge.PurgeRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The progress line on a terminal: rows out of those expected, batches and time left, and never a log line in it. */
class TerminalProgressTest {
    static final String ERASE = "\r\033[K";

    @Test
    void aLogLineGetsALineOfItsOwnAndTheProgressIsDrawnAgainBelowIt() {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        PrintStream stderr = System.err;
        System.setErr(err);
        try {
            Logs.quiet(false);
            try (TerminalProgress progress = TerminalProgress.on(err)) {
                progress.started("logs", "log", 1000);
                progress.batchCommitted(batch(250, 1));
                LoggerFactory.getLogger(PurgeRunner.class).warn("logs - batch failed: lost its connection");
                progress.batchCommitted(batch(500, 2));
            }
        } finally {
            System.setErr(stderr);
        }

        String shown = terminal.toString(StandardCharsets.UTF_8);
        String first = "logs: 250 of ~1,000 rows from \"log\" \\(25.0%\\), 1 batch, about \\d+s left";
        String second = "logs: 500 of ~1,000 rows from \"log\" \\(50.0%\\), 2 batches, about \\d+s left";
        assertTrue(
                shown.matches("\r\033\\[K" + first + "\r\033\\[K\\S+ WARN  PurgeRunner - logs - batch failed: lost its"
                        + " connection\n" + first + "\r\033\\[K" + second + "\r\033\\[K"),
                shown.replace("\r", "\\r").replace("\033", "\\e"));
    }

    @Test
    void theReadOfTheWholeTableAfterASweepSaysSoInPlaceOfTheLastBatchsLine() {
        String shown = drawn(progress -> {
            progress.started("logs", "log", 500);
            progress.countingWhatIsLeft("logs", "log");
            progress.batchCommitted(batch(250, 1));
            progress.batchCommitted(batch(500, 2));
            progress.countingWhatIsLeft("logs", "log");
            progress.started("runs", "flow_run", 10);
            progress.countingWhatIsLeft("runs", "flow_run");
        });

        String batches = "logs: 250 of ~500 rows from \"log\" \\(50.0%\\), 1 batch, about \\d+s left\r\033\\[K"
                + "logs: 500 of ~500 rows from \"log\" \\(100.0%\\), 2 batches, about 0s left";
        assertTrue(
                shown.matches("\r\033\\[K" + batches + "\r\033\\[Klogs: 500 rows from \"log\" in 2 batches; reading the"
                        + " whole table for rows that moved behind them\r\033\\[K"),
                shown.replace("\r", "\\r").replace("\033", "\\e"));
    }

    @Test
    void theCountBeforeTheFirstBatchSaysSoUntilTheFirstBatchTakesTheLine() {
        String shown = drawn(progress -> {
            progress.countingBeforeFirstBatch("logs", "log");
            progress.started("logs", "log", 500);
            progress.batchCommitted(batch(250, 1));
        });

        assertTrue(
                shown.matches("\r\033\\[Klogs: counting the rows of \"log\" that match, before the first batch"
                        + "\r\033\\[Klogs: 250 of ~500 rows from \"log\" \\(50.0%\\), 1 batch, about \\d+s left"
                        + "\r\033\\[K"),
                shown.replace("\r", "\\r").replace("\033", "\\e"));
    }

    @Test
    void oneRowInOneBatchIsSaidInTheSingular() {
        String shown = drawn(progress -> {
            progress.started("logs", "log", 1);
            progress.batchCommitted(new BatchEvent("logs", "log", 1, Map.of("log", 1L), 1, 1, Duration.ofMillis(200)));
            progress.countingWhatIsLeft("logs", "log");
        });

        assertTrue(
                shown.matches("\r\033\\[Klogs: 1 of ~1 row from \"log\" \\(100.0%\\), 1 batch, about 0s left"
                        + "\r\033\\[Klogs: 1 row from \"log\" in 1 batch; reading the whole table for rows that moved"
                        + " behind them\r\033\\[K"),
                shown.replace("\r", "\\r").replace("\033", "\\e"));
    }

    /** What a progress display on a terminal drew while {@code steps} ran. */
    private static String drawn(Consumer<TerminalProgress> steps) {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        try (TerminalProgress progress = TerminalProgress.on(err)) {
            steps.accept(progress);
        }
        return terminal.toString(StandardCharsets.UTF_8);
    }

    private static BatchEvent batch(long soFar, int batches) {
        return new BatchEvent("logs", "log", 250, Map.of("log", 250L), soFar, batches, Duration.ofMillis(200));
    }
}
