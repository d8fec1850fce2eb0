package io.runsweep.app.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.runsweep.config.DaemonSettings.LogFormat;
import org.slf4j.LoggerFactory;

/** Log levels and format, set once per command before it starts (see logback.xml for the defaults). */
public final class Logs {
    private Logs() {}

    /** One-shot commands print their own report; log lines beyond warnings would only repeat it. */
    public static void quiet(boolean verbose) {
        root().setLevel(verbose ? Level.DEBUG : Level.WARN);
    }

    /** The daemon's log is its report: a line per job run (INFO), in the format asked for. */
    public static void daemon(boolean verbose, LogFormat format) {
        root().setLevel(verbose ? Level.DEBUG : Level.INFO);
        if (format == LogFormat.JSON) {
            json();
        }
    }

    /**
     * One JSON object per line on stderr (logback's JsonEncoder): timestamp, level, threadName, loggerName,
     * formattedMessage, throwable, and the key-value pairs a line carries in kvpList (a job run's job,
     * outcome, rows_deleted and duration_seconds).
     */
    private static void json() {
        Logger root = root();
        LoggerContext context = root.getLoggerContext();
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithArguments(false);
        encoder.setWithMDC(false);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        stderr.stop();
        stderr.setEncoder(encoder);
        stderr.start();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
