package io.runsweep.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that reads the configuration and prints a report shares. */
final class ReportOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration (default: $RUNSWEEP_CONFIG)")
  Path config;

  @Option(names = "--format", paramLabel = "text|json", description = "output format (default: ${DEFAULT-VALUE})")
  OutputFormat format = OutputFormat.text;

  boolean json() {
    return format == OutputFormat.json;
  }

  enum OutputFormat { text, json }
}
