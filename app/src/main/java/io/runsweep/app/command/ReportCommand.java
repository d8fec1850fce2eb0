package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.render.ChecksJson;
import io.runsweep.app.render.ChecksText;
import io.runsweep.config.Settings;
import io.runsweep.jobs.alert.AlertEvaluator;
import io.runsweep.jobs.alert.AlertState;
import io.runsweep.jobs.checks.Checks;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.sql.Database;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Run the checks once, read-only, and print them: tables (rows, sizes, dead rows, last vacuum),"
                    + " each policy's backlog and oldest row, stuck runs, the SQLite file, and every alert.",
            "Exit 3 when an alert fires, 1 when a check could not run or the database cannot be reached,"
                    + " 2 for usage or configuration errors, 0 otherwise."
        })
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    private final Environment environment;
    private final Clock clock;

    public ReportCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = environment.settings(options.config);
        ChecksReport report;
        try (Database database = environment.open(settings.database(), true)) {
            report = new Checks(database, settings, clock).run();
        }
        List<AlertState> alerts =
                AlertEvaluator.withoutHistory(settings.alerts(), clock).evaluate(report);
        spec.commandLine()
                .getOut()
                .print(options.json() ? ChecksJson.render(report, alerts) : ChecksText.render(report, alerts));
        spec.commandLine().getOut().flush();
        if (alerts.stream().anyMatch(AlertState::firing)) {
            return ExitCode.ALERT;
        }
        return report.problems().isEmpty() ? ExitCode.OK : ExitCode.POLICY_FAILED;
    }
}
