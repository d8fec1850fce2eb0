package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.render.ReviewJson;
import io.runsweep.app.render.ReviewText;
import io.runsweep.config.Settings;
import io.runsweep.jobs.review.Finding;
import io.runsweep.jobs.review.Review;
import io.runsweep.jobs.review.ReviewReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseOpenException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Review the configuration, the database connection and every enabled policy, changing nothing:"
                    + " whether each policy and its dependents find their rows by index (with the CREATE INDEX that would"
                    + " fix it when not), duplicate and unused indexes of the managed tables, and what foreign keys do when"
                    + " the policies delete.",
            "Exit 0 when all is well, 3 on warnings, 2 on errors (configuration, database unreachable, a policy"
                    + " that cannot be planned)."
        })
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    private final Environment environment;
    private final Clock clock;

    public CheckCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = environment.settings(options.config);
        ReviewReport report;
        try (Database database = environment.open(settings.database(), true)) {
            report = new Review(database, settings, clock).run();
        } catch (DatabaseOpenException e) {
            report = new ReviewReport(
                    environment.databaseUrl(settings.database()).redacted(),
                    List.of(Finding.error("database", e.getMessage())));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(options.json() ? ReviewJson.render(report) : ReviewText.render(report));
        out.flush();
        return switch (report.worst()) {
            case ERROR -> ExitCode.USAGE;
            case WARNING -> ExitCode.WARNINGS;
            default -> ExitCode.OK;
        };
    }
}
