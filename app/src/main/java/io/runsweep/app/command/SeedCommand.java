package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.UsageException;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.PrefectSeeder;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.seed.SeedOptions;
import io.runsweep.jobs.seed.SeedReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "seed",
        mixinStandardHelpOptions = true,
        description = "Fill a database with synthetic run history (creating the schema when missing), for trying"
                + " policies and measuring them. Never point it at a production database.")
public final class SeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "NAME", description = "schema to seed: prefect")
    String preset;

    @Option(
            names = "--url",
            required = true,
            paramLabel = "URL",
            description = "JDBC or SQLAlchemy URL;" + " a SQLite file is created when missing")
    String url;

    @Option(names = "--flow-runs", paramLabel = "N", description = "flow runs to create (default: ${DEFAULT-VALUE})")
    int flowRuns = 20_000;

    @Option(
            names = "--days",
            paramLabel = "D",
            description = "days of history to spread them over" + " (default: ${DEFAULT-VALUE})")
    int days = 120;

    private final Environment environment;
    private final Clock clock;

    public SeedCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        if (!"prefect".equals(preset)) {
            throw new UsageException("--preset: only 'prefect' can be seeded, not '" + preset + "'");
        }
        if (flowRuns < 1 || days < 1) {
            throw new UsageException("--flow-runs and --days must be at least 1");
        }
        DatabaseUrl target;
        try {
            target = DatabaseUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url: " + e.getMessage());
        }
        SeedReport report =
                seed(target, flowRuns, days, clock, spec.commandLine().getErr());
        spec.commandLine().getOut().println(report);
        return ExitCode.OK;
    }

    public static SeedReport seed(DatabaseUrl url, int flowRuns, int days, Clock clock, PrintWriter progress)
            throws Exception {
        SchemaDialect dialect = SchemaDialect.of(url.kind());
        try (Database database = Databases.open(
                        url,
                        Connections.options(SettingsLoader.defaults().database(), false)
                                .withPoolSize(1)
                                .withCreateIfMissing(true));
                Connection connection = database.connection()) {
            PrefectSchema.create(connection, dialect);
            SeedOptions options = SeedOptions.builder()
                    .flowRuns(flowRuns)
                    .days(days)
                    .now(clock.instant())
                    .progress(line -> {
                        progress.println(line);
                        progress.flush();
                    })
                    .build();
            return new PrefectSeeder(options).seed(connection, dialect);
        }
    }
}
