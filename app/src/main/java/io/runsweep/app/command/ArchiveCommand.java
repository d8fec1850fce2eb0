package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.UsageException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "archive",
        mixinStandardHelpOptions = true,
        description = {
            "What the policies with an archive (archive.schema, archive.directory) have copied before deleting: list"
                    + " it, or restore it.",
            "See docs/archive.md."
        })
public final class ArchiveCommand implements Callable<Integer> {

    /** The command with its subcommands, which need the program's environment and clock. */
    public static CommandLine create(Environment environment, Clock clock) {
        return new CommandLine(new ArchiveCommand())
                .addSubcommand(new ArchiveListCommand(environment, clock))
                .addSubcommand(new ArchiveRestoreCommand(environment, clock));
    }

    @Override
    public Integer call() {
        throw new UsageException("archive: name what to do: list (what is archived) or restore (put rows back); see"
                + " runsweep archive --help");
    }

    /** The policies named, or every policy that keeps an archive. */
    static java.util.List<io.runsweep.config.PolicySettings> archiving(
            io.runsweep.config.Settings settings, java.util.List<String> names) {
        java.util.List<io.runsweep.config.PolicySettings> selected = names.isEmpty()
                ? settings.policies().values().stream()
                        .filter(p -> p.archive().enabled())
                        .toList()
                : SweepCommand.select(settings, names);
        if (selected.isEmpty()) {
            throw new UsageException("no policy keeps an archive: set archive.schema or archive.directory of a policy"
                    + " (or of runsweep.policy-defaults); see docs/archive.md");
        }
        for (io.runsweep.config.PolicySettings policy : selected) {
            if (!policy.archive().enabled()) {
                throw new UsageException("policy " + policy.name() + " keeps no archive (" + policy.location()
                        + "): set its archive.schema or archive.directory");
            }
        }
        return selected;
    }
}
