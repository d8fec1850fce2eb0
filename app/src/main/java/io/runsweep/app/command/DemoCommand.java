package io.runsweep.app.command;

import io.runsweep.app.process.Crons;
import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.GracefulStop;
import io.runsweep.app.process.TerminalProgress;
import io.runsweep.app.render.SweepText;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.SeedReport;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.TableStats;
import io.runsweep.sql.connect.Databases;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Seed a Prefect-shaped SQLite database with synthetic history, show what the Prefect preset"
                + " would delete (dry run), sweep it, and show the tables before and after.")
public final class DemoCommand implements Callable<Integer> {
    public static final List<String> TABLES = List.of(
            "flow_run", "flow_run_state", "task_run", "task_run_state", "log", "artifact", "events", "event_resources");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "where the demo database goes (default: ${DEFAULT-VALUE})")
    Path dir = Path.of("runsweep-demo");

    @Option(names = "--flow-runs", paramLabel = "N", description = "flow runs to seed (default: ${DEFAULT-VALUE})")
    int flowRuns = 20_000;

    @Option(names = "--days", paramLabel = "D", description = "days of history (default: ${DEFAULT-VALUE})")
    int days = 120;

    private final Environment environment;
    private final Clock clock;

    public DemoCommand(Environment environment, Clock clock) {
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
        ConnectionOptions options = Connections.options(settings.database(), false);
        try (Database database = Databases.open(url, options)) {
            out.println();
            out.println("Before:");
            sizes(out, database);
        }

        out.println();
        try (Database readOnly = Databases.open(url, options.withReadOnly(true))) {
            SweepReport preview = new Sweep(readOnly, runOptions(settings), clock, new StopSignal())
                    .run(settings.enabledPolicies(), true, TerminalProgress.forStderr());
            out.print(SweepText.render(preview));
        }

        out.println();
        out.println("Sweeping for real:");
        SweepReport sweep;
        try (Database database = Databases.open(url, options);
                TerminalProgress progress = TerminalProgress.forStderr();
                GracefulStop stop = GracefulStop.install()) {
            sweep = new Sweep(database, runOptions(settings), clock, stop.signal())
                    .run(settings.enabledPolicies(), false, progress);
            out.print(SweepText.render(sweep));
            out.println();
            out.println("After:");
            sizes(out, database);
        }
        out.printf(
                "%nThe file keeps its size until it is vacuumed; freed pages are reused by new rows. To shrink it:%n"
                        + "  runsweep maintain, with runsweep.maintenance.sqlite.full-vacuum = true%n"
                        + "Try it yourself: java -jar app/target/runsweep.jar sweep --dry-run --config FILE, with%n"
                        + "  runsweep { preset = prefect, database.url = \"%s\" }%n",
                url.jdbcUrl());
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

    /** Exact row counts and bytes of the demo's tables; a table that does not exist is left out. */
    private static void sizes(PrintWriter out, Database database) throws SQLException {
        out.printf("  %-18s %12s %12s%n", "table", "rows", "size");
        try (Connection connection = database.connection()) {
            for (String name : TABLES) {
                Optional<Table> table = database.dialect().describe(connection, TableName.parse(name));
                if (table.isPresent()) {
                    TableStats stats =
                            database.stats().table(connection, table.get().name(), true);
                    out.printf(
                            "  %-18s %12s %12s%n",
                            table.get().name(),
                            Formats.count(stats.rows().orElse(0)),
                            Formats.bytes(stats.totalBytes()));
                }
            }
        }
    }
}
