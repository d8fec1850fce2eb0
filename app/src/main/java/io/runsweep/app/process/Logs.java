package io.runsweep.app.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.runsweep.config.DaemonSettings.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * Log levels and format, set once per command before it starts (see {@link LogDefaults} for the defaults). Without
 * {@code --verbose} a log line is one line: no stack trace, and nothing from the connection pool, whose
 * failures Runsweep reports itself, once, with their cause (a lost connection as one line per retry).
 */
public final class Logs {
    private Logs() {}

    /** One-shot commands print their own report; log lines beyond warnings would only repeat it. */
    public static void quiet(boolean verbose) {
        root().setLevel(verbose ? Level.DEBUG : Level.WARN);
        details(verbose);
        text(verbose);
    }

    /** The daemon's log is its report: a line per job run (INFO), in the format asked for. */
    public static void daemon(boolean verbose, LogFormat format) {
        root().setLevel(verbose ? Level.DEBUG : Level.INFO);
        details(verbose);
        if (format == LogFormat.JSON) {
            json(verbose);
        } else {
            text(verbose);
        }
    }

    private static void details(boolean verbose) {
        logger("com.zaxxer.hikari").setLevel(verbose ? Level.DEBUG : Level.OFF);
    }

    /** Stack traces with --verbose only: {@code %nopex} drops the one logback would otherwise append. */
    private static void text(boolean verbose) {
        ConsoleAppender<ILoggingEvent> stderr = stderr();
        if (stderr == null) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(root().getLoggerContext());
        encoder.setPattern(verbose ? LogDefaults.PATTERN : LogDefaults.PATTERN + "%nopex");
        encoder.start();
        stderr.stop();
        stderr.setEncoder(encoder);
        stderr.start();
    }

    /**
     * One JSON object per line on stderr (logback's JsonEncoder): timestamp, level, threadName, loggerName,
     * formattedMessage, throwable, and the key-value pairs a line carries in kvpList (a job run's job,
     * outcome, rows_deleted and duration_seconds).
     */
    private static void json(boolean verbose) {
        LoggerContext context = root().getLoggerContext();
        ConsoleAppender<ILoggingEvent> stderr = stderr();
        if (stderr == null) {
            return;
        }
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithArguments(false);
        encoder.setWithMDC(false);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithThrowable(verbose);
        encoder.start();
        stderr.stop();
        stderr.setEncoder(encoder);
        stderr.start();
    }

    /** Null when {@code -Dlogback.configurationFile} named a file without it: that file then says how lines look. */
    @SuppressWarnings("unchecked")
    private static ConsoleAppender<ILoggingEvent> stderr() {
        return (ConsoleAppender<ILoggingEvent>) root().getAppender(LogDefaults.APPENDER);
    }

    private static Logger root() {
        return logger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
