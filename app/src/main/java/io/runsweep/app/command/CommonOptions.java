package io.runsweep.app.command;

import io.runsweep.jobs.common.OutputFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that reads the configuration and prints a report shares. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration (default: $RUNSWEEP_CONFIG)")
    Path config;

    @Option(names = "--format", paramLabel = "text|json", description = "output format (default: text)")
    OutputFormat format = OutputFormat.TEXT;

    public boolean json() {
        return format == OutputFormat.JSON;
    }
}
