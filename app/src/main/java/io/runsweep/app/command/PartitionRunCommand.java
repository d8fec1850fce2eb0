package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.UsageException;
import io.runsweep.app.render.PartitionText;
import io.runsweep.config.PartitionSettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.partition.PartitionMaintenance;
import io.runsweep.jobs.partition.PartitionProgress;
import io.runsweep.jobs.partition.PartitionRunReport;
import io.runsweep.sql.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Apply the partition sets once: make the missing partitions of the current and next premake"
                    + " intervals, detach expired ones and drop or move them; report rows in a default partition and future"
                    + " partitions running short.",
            "Exit 0 when every set succeeded, 1 when any failed (the others still ran), 2 for usage or configuration"
                    + " errors."
        })
public final class PartitionRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration (default: $RUNSWEEP_CONFIG)")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "NAME",
            description = "run only this partition set (repeatable;" + " default: all enabled)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--dry-run", description = "change nothing: print the DDL that would run, and the findings")
    boolean dryRun;

    private final Environment environment;
    private final Clock clock;

    public PartitionRunCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = environment.settings(config);
        List<PartitionSettings> selected = select(settings, sets);
        PrintWriter out = spec.commandLine().getOut();
        PartitionRunReport report;
        try (Database database = environment.open(settings.database(), dryRun)) {
            report = new PartitionMaintenance(
                            database, settings.database().lockTimeout(), clock, PartitionProgress.NONE)
                    .run(selected, dryRun);
        }
        out.print(PartitionText.render(report));
        out.flush();
        return report.anyFailed() ? ExitCode.POLICY_FAILED : ExitCode.OK;
    }

    private static List<PartitionSettings> select(Settings settings, List<String> names) {
        if (names.isEmpty()) {
            List<PartitionSettings> enabled = settings.enabledPartitions();
            if (enabled.isEmpty()) {
                throw new UsageException(
                        "no partition sets are enabled: define runsweep.partitions in the file given with"
                                + " --config"
                                + (settings.partitions().isEmpty()
                                        ? ""
                                        : " or enable one of "
                                                + String.join(
                                                        ", ",
                                                        settings.partitions().keySet())));
            }
            return enabled;
        }
        List<PartitionSettings> selected = new ArrayList<>();
        for (String name : names) {
            PartitionSettings set = settings.partitions().get(name);
            if (set == null) {
                throw new UsageException("unknown partition set '" + name + "'; configured sets: "
                        + (settings.partitions().isEmpty()
                                ? "none"
                                : String.join(", ", settings.partitions().keySet())));
            }
            selected.add(set);
        }
        return selected;
    }
}
