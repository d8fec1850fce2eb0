package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.GracefulStop;
import io.runsweep.app.render.MaintenanceJson;
import io.runsweep.app.render.MaintenanceText;
import io.runsweep.config.Settings;
import io.runsweep.jobs.maintenance.Maintenance;
import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.sql.Database;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "maintain",
        mixinStandardHelpOptions = true,
        description = {
            "Run the maintenance job once and print what it did, with sizes and dead rows or free pages"
                    + " before and after. PostgreSQL: ANALYZE of the managed tables, VACUUM where dead rows pile up, VACUUM"
                    + " FULL of runsweep.maintenance.vacuum-full-tables. SQLite: PRAGMA optimize, incremental or (opt-in)"
                    + " full VACUUM, WAL checkpoint.",
            "Exit 0 when every statement ran, 1 when one failed or was refused (or the database could not be"
                    + " reached), 2 for usage or configuration errors, 130 or 143 when stopped by Ctrl-C or SIGTERM"
                    + " (the statement under way is cancelled, the rest not run; the report says which)."
        })
public final class MaintainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Option(names = "--dry-run", description = "change nothing: show what would run, and why, with the figures now")
    boolean dryRun;

    private final Environment environment;
    private final Clock clock;

    public MaintainCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = environment.settings(options.config);
        try (GracefulStop stop = GracefulStop.install()) {
            MaintenanceReport report;
            try (Database database = environment.open(settings.database(), dryRun)) {
                report = new Maintenance(database, settings, clock, stop.signal()).run(dryRun);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(options.json() ? MaintenanceJson.render(report) : MaintenanceText.render(report));
            out.flush();
            return report.anyFailed() ? ExitCode.POLICY_FAILED : ExitCode.OK;
        }
    }
}
