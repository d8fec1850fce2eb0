package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.UsageException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "partition",
        mixinStandardHelpOptions = true,
        description = {
            "Range partitions of PostgreSQL tables: keep them (run), or plan converting a table (plan).",
            "See docs/partitions.md."
        })
public final class PartitionCommand implements Callable<Integer> {

    /** The command with its subcommands, which need the program's environment and clock. */
    public static CommandLine create(Environment environment, Clock clock) {
        return new CommandLine(new PartitionCommand())
                .addSubcommand(new PartitionRunCommand(environment, clock))
                .addSubcommand(new PartitionPlanCommand(environment, clock));
    }

    @Override
    public Integer call() {
        throw new UsageException("partition: name what to do: run (apply the partition sets once) or plan (print a plan"
                + " to partition an existing table); see runsweep partition --help");
    }
}
