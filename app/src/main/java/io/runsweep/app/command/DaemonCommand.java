package io.runsweep.app.command;

import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.Logs;
import io.runsweep.config.DaemonSettings.LogFormat;
import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Connections;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        description = {
            "Run every enabled policy on its schedule until stopped, serving /metrics, /health/live,"
                    + " /health/ready and /status over HTTP (runsweep.http).",
            "SIGTERM lets the batch under way commit, stops, and exits 0 within runsweep.daemon.shutdown-timeout."
                    + " Exit 2 for usage or configuration errors, 1 when the daemon cannot start (e.g. its port is taken)."
        })
public final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration (default: $RUNSWEEP_CONFIG)")
    Path config;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            description = "log lines as text, or one JSON object per line (default: runsweep.log.format, text)")
    LogFormat logFormat;

    private final Environment environment;
    private final Clock clock;
    private final BooleanSupplier verbose;

    /** @param verbose whether {@code --verbose} was given, asked once the command line is parsed */
    public DaemonCommand(Environment environment, Clock clock, BooleanSupplier verbose) {
        this.environment = environment;
        this.clock = clock;
        this.verbose = verbose;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = environment.settings(config);
        Logs.daemon(
                verbose.getAsBoolean(),
                logFormat != null ? logFormat : settings.daemon().logFormat());
        Daemon daemon = Daemon.start(
                settings.daemon(),
                environment.databaseUrl(settings.database()),
                Connections.options(settings.database(), false),
                clock,
                DaemonJobs.all(settings, clock),
                List.of());
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            daemon.stop();
                            // A JVM ended by a signal exits 143 even after a clean stop; the daemon did stop cleanly,
                            // so it says so.
                            Runtime.getRuntime().halt(ExitCode.OK);
                        },
                        "runsweep-shutdown"));
        daemon.awaitStopped();
        return ExitCode.OK;
    }
}
