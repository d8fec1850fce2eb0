package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.GracefulStop;
import io.runsweep.app.process.TerminalProgress;
import io.runsweep.app.process.UsageException;
import io.runsweep.app.render.SweepJson;
import io.runsweep.app.render.SweepText;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.review.CascadeConflicts;
import io.runsweep.jobs.review.Finding;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = {
            "Run the retention policies once and exit.",
            "On PostgreSQL, a table a policy deleted many rows from is vacuumed right after it"
                    + " (runsweep.maintenance.vacuum-after-rows).",
            "Exit 0 when every policy succeeded, 1 when any failed (the others still run) or a VACUUM after one"
                    + " failed, 2 for usage or configuration errors."
        })
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Option(
            names = "--policy",
            paramLabel = "NAME",
            description = "run only this policy (repeatable; default: all enabled)")
    List<String> policies = new ArrayList<>();

    @Option(
            names = "--dry-run",
            description = "change nothing: show per policy the cutoff, the rows that would go"
                    + " from each table, the SQL that would run and the index it would use")
    boolean dryRun;

    @Option(names = "--allow-large", description = "let a policy delete more than its max-fraction of its table")
    boolean allowLarge;

    @Option(
            names = "--estimate",
            description = "with --dry-run: show the database's row estimates instead of counting the rows, much"
                    + " faster on large tables (PostgreSQL; SQLite keeps no estimates and counts)")
    boolean estimate;

    private final Environment environment;
    private final Clock clock;

    public SweepCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        if (estimate && !dryRun) {
            throw new UsageException("--estimate goes with --dry-run: a real run deletes, and counts what it deleted");
        }
        Settings settings = environment.settings(options.config);
        List<PolicySettings> selected = select(settings, policies);
        PrintWriter out = spec.commandLine().getOut();
        try (GracefulStop stop = GracefulStop.install()) {
            SweepReport report;
            try (Database database = environment.open(settings.database(), dryRun);
                    TerminalProgress progress = TerminalProgress.forStderr()) {
                warnAboutCascades(database, settings, selected);
                RunOptions options = new RunOptions(settings.database().lockTimeout(), settings.batch(), allowLarge);
                Sweep sweep = new Sweep(database, options, clock, stop.signal());
                report = (estimate ? sweep.estimatingCounts() : sweep)
                        .withMaintenance(settings.maintenance())
                        .run(selected, dryRun, progress);
            }
            out.print(options.json() ? SweepJson.render(report) : SweepText.render(report));
            out.flush();
            return report.anyFailed() ? ExitCode.POLICY_FAILED : ExitCode.OK;
        }
    }

    /** Cascades that cut another policy's retention, on stderr, before anything goes. */
    private void warnAboutCascades(Database database, Settings settings, List<PolicySettings> selected)
            throws SQLException {
        List<Finding> warnings = CascadeConflicts.warnings(
                database,
                List.copyOf(settings.enabledPolicies()),
                selected.stream().map(PolicySettings::name).toList(),
                clock.instant());
        PrintWriter err = spec.commandLine().getErr();
        for (Finding warning : warnings) {
            String text = "warning: " + warning.message()
                    + warning.fix().map(f -> "; fix: " + f).orElse("");
            err.println(text);
        }
        err.flush();
    }

    public static List<PolicySettings> select(Settings settings, List<String> names) {
        if (names.isEmpty()) {
            List<PolicySettings> enabled = settings.enabledPolicies();
            if (enabled.isEmpty()) {
                throw new UsageException("no policies are configured: set runsweep.preset (e.g. prefect) or define"
                        + " runsweep.policies in the file given with --config");
            }
            return enabled;
        }
        List<PolicySettings> selected = new ArrayList<>();
        for (String name : names) {
            PolicySettings policy = settings.policies().get(name);
            if (policy == null) {
                throw new UsageException("unknown policy '" + name + "'; configured policies: "
                        + String.join(", ", settings.policies().keySet()));
            }
            selected.add(policy);
        }
        return selected;
    }
}
