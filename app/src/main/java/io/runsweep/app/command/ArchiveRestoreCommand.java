package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.UsageException;
import io.runsweep.app.render.ArchiveText;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.archive.ArchiveRestore;
import io.runsweep.jobs.archive.RestoreReport;
import io.runsweep.sql.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = {
            "Put a policy's archived rows back: parents before children, each unless a row with the same key is"
                    + " there, in short transactions. Run again, it puts back only what is missing.",
            "Exit 0 when all went back, 1 when a batch failed (the tables before it were restored), 2 for usage or"
                    + " configuration errors."
        })
public final class ArchiveRestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Option(names = "--policy", paramLabel = "NAME", required = true, description = "the policy whose rows go back")
    String policy;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description = "only rows archived at or after this (2026-05-01 or 2026-05-01T03:00:00Z, UTC); an"
                    + " archive directory's whole runs that started then")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "only rows archived before this")
    String until;

    @Option(
            names = "--from",
            paramLabel = "schema|directory",
            description = "which archive to read when the policy keeps both (default: schema)")
    ArchiveRestore.From from;

    @Option(names = "--dry-run", description = "change nothing: count what would go back, and what is there already")
    boolean dryRun;

    private final Environment environment;
    private final Clock clock;

    public ArchiveRestoreCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = environment.settings(options.config);
        PolicySettings selected =
                ArchiveCommand.archiving(settings, List.of(policy)).get(0);
        Instant start = time("--since", since).orElse(Instant.EPOCH);
        Instant end = time("--until", until).orElse(Instant.parse("9999-12-31T23:59:59Z"));
        RestoreReport report;
        try (Database database = environment.open(settings.database(), dryRun)) {
            report = new ArchiveRestore(database, clock)
                    .restore(selected, Optional.ofNullable(from), start, end, dryRun);
        }
        spec.commandLine()
                .getOut()
                .print(options.json() ? ArchiveText.restoreJson(report) : ArchiveText.restore(report));
        return report.failed() ? ExitCode.POLICY_FAILED : ExitCode.OK;
    }

    /** An instant, or a date taken as its midnight in UTC. */
    private static Optional<Instant> time(String option, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    text.contains("T")
                            ? Instant.parse(text)
                            : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            throw new UsageException(
                    option + ": '" + text + "' is not a time such as 2026-05-01 or" + " 2026-05-01T03:00:00Z");
        }
    }
}
