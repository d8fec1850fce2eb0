package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.GracefulStop;
import io.runsweep.app.process.Terminal;
import io.runsweep.app.process.TerminalProgress;
import io.runsweep.app.process.UsageException;
import io.runsweep.app.render.SweepJson;
import io.runsweep.app.render.SweepText;
import io.runsweep.config.DurationText;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.purge.Summaries;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
            "On a terminal, a sweep that would delete more than runsweep.confirm-above rows shows its totals and"
                    + " asks first (--yes does not ask); without a terminal it never asks.",
            "Exit 0 when every policy succeeded, 1 when any failed (the others still run), a VACUUM after one"
                    + " failed or the question was not answered yes, 2 for usage or configuration errors, 130 or 143"
                    + " when stopped by Ctrl-C or SIGTERM"
                    + " (the batch under way ends whole; the report lists the policies not run)."
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

    @Option(
            names = "--allow-large",
            description = "let through what the guard refuses as almost surely a mistake: a whole table emptied,"
                    + " more than max-fraction, a cutoff later than the database's clock, times before 2000")
    boolean allowLarge;

    @Option(
            names = "--older-than",
            paramLabel = "DURATION",
            description = "delete rows older than this (30d, 12h) instead of each selected policy's older-than;"
                    + " the dry run shows it")
    String olderThan;

    @Option(
            names = {"-y", "--yes"},
            description = "do not ask before deleting more than runsweep.confirm-above rows on a terminal")
    boolean yes;

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
        Optional<Duration> age = olderThan(olderThan);
        List<PolicySettings> configured = select(settings, policies);
        List<PolicySettings> selected = configured.stream()
                .map(p -> age.map(p::withOlderThan).orElse(p))
                .toList();
        PrintWriter out = spec.commandLine().getOut();
        try (GracefulStop stop = GracefulStop.install()) {
            SweepReport report;
            try (Database database = environment.open(settings.database(), dryRun);
                    TerminalProgress progress = TerminalProgress.forStderr()) {
                RunOptions options = new RunOptions(settings.database().lockTimeout(), settings.batch(), allowLarge);
                if (!dryRun && !confirmed(settings, options, selected)) {
                    spec.commandLine().getErr().println("runsweep: not confirmed; nothing was deleted");
                    return ExitCode.NOT_CONFIRMED;
                }
                Sweep sweep = new Sweep(database, options, clock, stop.signal());
                report = (estimate ? sweep.estimatingCounts() : sweep)
                        .withMaintenance(settings.maintenance())
                        .guarding(settings.enabledPolicies())
                        .withThrottle(settings.throttle())
                        .run(selected, dryRun, announcingCascades(progress));
            }
            if (age.isPresent()) {
                report = withAgeNotes(report, configured, age.get());
            }
            out.print(options.json() ? SweepJson.render(report) : SweepText.render(report));
            out.flush();
            return report.anyFailed() ? ExitCode.POLICY_FAILED : ExitCode.OK;
        }
    }

    private static Optional<Duration> olderThan(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(DurationText.parsePositive(text));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--older-than: " + e.getMessage());
        }
    }

    /**
     * On a terminal, a sweep that would delete more than {@code confirmAbove} rows shows its dry run's totals and
     * asks first; so does one whose dry run failed, since nothing then says how much would go. Without a terminal,
     * or with --yes, it never asks. The dry run has a read-only connection of its own, as {@code --dry-run} does.
     */
    private boolean confirmed(Settings settings, RunOptions runOptions, List<PolicySettings> selected) {
        Terminal terminal = environment.terminal();
        if (yes || !terminal.interactive()) {
            return true;
        }
        SweepReport plan;
        try (Database readOnly = environment.open(settings.database(), true)) {
            plan = new Sweep(readOnly, runOptions, clock, new StopSignal())
                    .guarding(settings.enabledPolicies())
                    .run(selected, true, PurgeProgress.NONE);
        }
        long total = plan.policies().stream().mapToLong(PolicyReport::totalRows).sum();
        boolean counted = plan.policies().stream().noneMatch(p -> p.outcome() == PolicyReport.Outcome.FAILED);
        if (counted && total <= settings.confirmAbove()) {
            return true;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("This sweep would delete " + Formats.count(total) + " rows (more than runsweep.confirm-above, "
                + Formats.count(settings.confirmAbove()) + "):");
        for (PolicyReport policy : plan.policies()) {
            err.println("  " + policy.policy() + ": "
                    + (policy.outcome() == PolicyReport.Outcome.FAILED
                            ? "could not be counted: " + policy.error().orElse("")
                            : Summaries.rows(policy)));
        }
        err.flush();
        String answer = terminal.ask("Delete them? [y/N] ").orElse("").strip().toLowerCase(Locale.ROOT);
        return answer.equals("y") || answer.equals("yes");
    }

    /** The plan says which age each policy ran with when --older-than replaced its own. */
    private static SweepReport withAgeNotes(SweepReport report, List<PolicySettings> configured, Duration age) {
        List<PolicyReport> policies = new ArrayList<>();
        for (PolicyReport policy : report.policies()) {
            Optional<PolicySettings> own = configured.stream()
                    .filter(p -> p.name().equals(policy.policy()))
                    .findFirst();
            policies.add(own.map(p -> policy.withNote("older-than " + DurationText.format(age)
                            + " from --older-than (the configuration says " + DurationText.format(p.olderThan())
                            + ")"))
                    .orElse(policy));
        }
        return new SweepReport(
                report.dryRun(),
                report.startedAt(),
                policies,
                report.maintenance(),
                report.duration(),
                report.notRun(),
                report.stoppedBy());
    }

    /** What each policy's cascades will take, on stderr, before its first batch. */
    private PurgeProgress announcingCascades(PurgeProgress progress) {
        PrintWriter err = spec.commandLine().getErr();
        return progress.tellingCascadesTo((policy, cascades) -> {
            err.println(policy + ": " + cascades);
            err.flush();
        });
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
