package io.runsweep.app.process;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;

/** Logback's console appender, which keeps each log line off the progress line (see {@link TerminalLine}). */
public final class LogConsoleAppender extends ConsoleAppender<ILoggingEvent> {
    @Override
    protected void subAppend(ILoggingEvent event) {
        TerminalLine.aroundLogLine(() -> super.subAppend(event));
    }
}
