package io.runsweep.app.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration before a command sets its own ({@link Logs}): log lines on stderr, so that stdout carries
 * only a command's report, at INFO, the connection pool and the scheduler at WARN. Built here rather than read from
 * a logback.xml, whose XML parser and rule engine took about 0.2 s of every command's start; logback finds this
 * class through {@code META-INF/services}. A file named by {@code -Dlogback.configurationFile} still wins.
 */
public final class LogDefaults extends ContextAwareBase implements Configurator {
    /** The appender {@link Logs} gives each command's format to. */
    static final String APPENDER = "STDERR";

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        LogConsoleAppender stderr = new LogConsoleAppender();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.quartz").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
