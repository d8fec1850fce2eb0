package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.UsageException;
import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.config.Settings;
import io.runsweep.jobs.partition.ConversionPlanner;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.TableName;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Print, without running any of it, a plan to convert an existing unpartitioned PostgreSQL table"
                    + " to range partitions: the new table, its partitions, a copy in batches and a swap of names in one short"
                    + " transaction, with notes and an estimate of time and disk. Review it, then run it yourself.",
            "Exit 0 with the plan on standard output, 1 when the database cannot be read, 2 for usage errors (a table or"
                    + " column that is missing or unfit)."
        })
public final class PartitionPlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "HOCON configuration, for the database" + " (default: $RUNSWEEP_CONFIG)")
    Path config;

    @Option(names = "--table", required = true, paramLabel = "T", description = "the table, optionally schema.table")
    String table;

    @Option(
            names = "--column",
            required = true,
            paramLabel = "C",
            description = "the partition key: a timestamptz, timestamp or date column")
    String column;

    @Option(
            names = "--interval",
            required = true,
            paramLabel = "day|week|month",
            description = "what one partition covers (daily, weekly and monthly are accepted too)")
    String interval;

    @Option(names = "--premake", paramLabel = "N", description = "partitions made ahead (default: ${DEFAULT-VALUE})")
    int premake = 3;

    private final Environment environment;
    private final Clock clock;

    public PartitionPlanCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        TableName name = tableName();
        Interval every = interval();
        if (!Identifiers.isValid(column)) {
            throw new UsageException("--column: not a valid identifier: '" + column + "'");
        }
        if (premake < 1 || premake > 1000) {
            throw new UsageException("--premake must be between 1 and 1000, got " + premake);
        }
        Settings settings = environment.settings(config);
        String plan;
        try (Database database = environment.open(settings.database(), true)) {
            if (database.dialect().kind() != DatabaseKind.POSTGRESQL) {
                throw new UsageException(
                        "partition plan needs PostgreSQL; runsweep.database.url names a SQLite database ("
                                + database.url().redacted() + ")");
            }
            try (Connection connection = database.connection()) {
                plan = new ConversionPlanner()
                        .plan(
                                connection,
                                name,
                                column,
                                every,
                                premake,
                                settings.database().lockTimeout(),
                                clock.instant());
            } catch (PlanException e) {
                throw new UsageException(e.getMessage());
            }
        }
        spec.commandLine().getOut().print(plan);
        return ExitCode.OK;
    }

    private TableName tableName() {
        String[] parts = table.split("\\.", -1);
        for (String part : parts) {
            if (parts.length > 2 || !Identifiers.isValid(part)) {
                throw new UsageException("--table: not a valid table name: '" + table + "' (name or schema.name)");
            }
        }
        return TableName.parse(table);
    }

    private Interval interval() {
        return switch (interval.toLowerCase(Locale.ROOT)) {
            case "day", "daily" -> Interval.DAILY;
            case "week", "weekly" -> Interval.WEEKLY;
            case "month", "monthly" -> Interval.MONTHLY;
            default -> throw new UsageException("--interval: expected day, week or month, got '" + interval + "'");
        };
    }
}
