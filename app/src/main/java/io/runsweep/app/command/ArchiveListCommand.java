package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.render.ArchiveText;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.archive.ArchiveCatalog;
import io.runsweep.jobs.archive.ArchiveListing;
import io.runsweep.sql.Database;
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
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Show what each policy with an archive has copied: per archive table its rows and the oldest and newest"
                    + " archive time; per run of an archive directory its files, rows and bytes, and whether it ended"
                    + " (wrote its manifest). Reads only.",
            "Exit 0, 1 when an archive could not be read or --verify found a file that does not match its manifest,"
                    + " 2 for usage or configuration errors."
        })
public final class ArchiveListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Option(names = "--policy", paramLabel = "NAME", description = "only this policy (repeatable; default: all)")
    List<String> policies = new ArrayList<>();

    @Option(
            names = "--verify",
            description = "read every archive file: check it against its run's manifest (SHA-256) and count its rows")
    boolean verify;

    private final Environment environment;
    private final Clock clock;

    public ArchiveListCommand(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = environment.settings(options.config);
        List<PolicySettings> selected = ArchiveCommand.archiving(settings, policies);
        List<ArchiveListing> listings = new ArrayList<>();
        try (Database database = environment.open(settings.database(), true)) {
            ArchiveCatalog catalog = new ArchiveCatalog(database, clock);
            for (PolicySettings policy : selected) {
                listings.add(catalog.list(policy, verify));
            }
        }
        spec.commandLine().getOut().print(options.json() ? ArchiveText.listJson(listings) : ArchiveText.list(listings));
        boolean bad = listings.stream()
                .anyMatch(l -> l.error().isPresent()
                        || l.runs().stream().anyMatch(r -> !r.problems().isEmpty()));
        return bad ? ExitCode.POLICY_FAILED : ExitCode.OK;
    }
}
