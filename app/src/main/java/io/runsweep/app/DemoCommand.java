package io.runsweep.app;

import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.Summaries;
import io.runsweep.jobs.Sweep;
import io.runsweep.jobs.SweepReport;
import io.runsweep.jobs.TableSizes;
import io.runsweep.jobs.TableSizes.TableSize;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.SeedReport;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Seed a Prefect-shaped SQLite database with synthetic history, show what the Prefect preset"
        + " would delete (dry run), sweep it, and show the tables before and after.")
final class DemoCommand implements Callable<Integer> {
  static final List<String> TABLES = List.of("flow_run", "flow_run_state", "task_run", "task_run_state", "log",
      "artifact", "events", "event_resources");

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", description = "where the demo database goes (default: ${DEFAULT-VALUE})")
  Path dir = Path.of("runsweep-demo");

  @Option(names = "--flow-runs", paramLabel = "N", description = "flow runs to seed (default: ${DEFAULT-VALUE})")
  int flowRuns = 20_000;

  @Option(names = "--days", paramLabel = "D", description = "days of history (default: ${DEFAULT-VALUE})")
  int days = 120;

  private final Environment environment;
  private final Clock clock;

  DemoCommand(Environment environment, Clock clock) {
    this.environment = environment;
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path file = dir.resolve("prefect.db").toAbsolutePath();
    Files.createDirectories(dir);
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(Path.of(file + suffix));
    }
    DatabaseUrl url = DatabaseUrl.ofSqliteFile(file);
    out.printf("Seeding %s with %,d Prefect flow runs over %d days...%n", file, flowRuns, days);
    out.flush();
    SeedReport seeded = SeedCommand.seed(url, flowRuns, days, clock, new PrintWriter(java.io.Writer.nullWriter()));
    out.println(seeded);

    Settings settings = demoSettings(url);
    ConnectionOptions options = ConnectionOptions.defaults().withBusyTimeout(settings.database().busyTimeout());
    try (Database database = Databases.open(url, options)) {
      out.println();
      out.println("Before:");
      sizes(out, TableSizes.of(database, TABLES));
    }

    out.println();
    try (Database readOnly = Databases.open(url, options.withReadOnly(true))) {
      SweepReport preview = new Sweep(readOnly, runOptions(settings), clock, new StopSignal())
          .run(settings.enabledPolicies(), true, TerminalProgress.forStderr());
      out.print(TextReport.render(preview));
    }

    out.println();
    out.println("Sweeping for real:");
    SweepReport sweep;
    try (Database database = Databases.open(url, options); TerminalProgress progress = TerminalProgress.forStderr();
        GracefulStop stop = GracefulStop.install()) {
      sweep = new Sweep(database, runOptions(settings), clock, stop.signal())
          .run(settings.enabledPolicies(), false, progress);
      out.print(TextReport.render(sweep));
      out.println();
      out.println("After:");
      sizes(out, TableSizes.of(database, TABLES));
    }
    out.printf("%nThe file keeps its size until it is vacuumed; freed pages are reused by new rows. To shrink it:%n"
        + "  runsweep maintain, with runsweep.maintenance.sqlite.full-vacuum = true%n"
        + "Try it yourself: java -jar app/target/runsweep.jar sweep --dry-run --config FILE, with%n"
        + "  runsweep { preset = prefect, database.url = \"%s\" }%n", url.jdbcUrl());
    return sweep.anyFailed() ? ExitCode.POLICY_FAILED : ExitCode.OK;
  }

  private static RunOptions runOptions(Settings settings) {
    return new RunOptions(settings.database().lockTimeout(), settings.batch(), false);
  }

  private Settings demoSettings(DatabaseUrl url) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("RUNSWEEP_PRESET", "prefect");
    env.put("RUNSWEEP_DATABASE_URL", url.jdbcUrl());
    return SettingsLoader.load(Optional.empty(), env, Crons::problem);
  }

  private static void sizes(PrintWriter out, List<TableSize> sizes) {
    out.printf("  %-18s %12s %12s%n", "table", "rows", "size");
    for (TableSize size : sizes) {
      out.printf("  %-18s %12s %12s%n", size.table(), Summaries.count(size.rows()), bytes(size.bytes()));
    }
  }

  static String bytes(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }
}
