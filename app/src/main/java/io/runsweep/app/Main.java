package io.runsweep.app;

import io.runsweep.app.command.ArchiveCommand;
import io.runsweep.app.command.CheckCommand;
import io.runsweep.app.command.ConfigCommand;
import io.runsweep.app.command.DaemonCommand;
import io.runsweep.app.command.DemoCommand;
import io.runsweep.app.command.MaintainCommand;
import io.runsweep.app.command.PartitionCommand;
import io.runsweep.app.command.ReportCommand;
import io.runsweep.app.command.SeedCommand;
import io.runsweep.app.command.SweepCommand;
import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.app.process.Logs;
import io.runsweep.app.process.UsageException;
import io.runsweep.config.SettingsException;
import io.runsweep.jobs.common.Errors;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "runsweep",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Retention and maintenance for the run-history databases of workflow schedulers.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main {
    @Option(
            names = {"-v", "--verbose"},
            scope = CommandLine.ScopeType.INHERIT,
            description = "log every step, and show stack traces with errors")
    boolean verbose;

    public static void main(String[] args) {
        Optional<String> quick = QuickAnswers.answer(args);
        if (quick.isPresent()) {
            System.out.print(quick.get());
            System.out.flush();
            System.exit(ExitCode.OK);
        }
        System.exit(run(
                args,
                Environment.system(),
                Clock.systemUTC(),
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; the only place errors become exit codes. */
    static int run(String[] args, Environment environment, Clock clock, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main)
                .addSubcommand(new SweepCommand(environment, clock))
                .addSubcommand(new ConfigCommand(environment))
                .addSubcommand(new ReportCommand(environment, clock))
                .addSubcommand(new SeedCommand(environment, clock))
                .addSubcommand(new DemoCommand(environment, clock))
                .addSubcommand(PartitionCommand.create(environment, clock))
                .addSubcommand(new DaemonCommand(environment, clock, () -> main.verbose))
                .addSubcommand(new MaintainCommand(environment, clock))
                .addSubcommand(new CheckCommand(environment, clock))
                .addSubcommand(ArchiveCommand.create(environment, clock));
        // picocli answers bad options and arguments with exit code 2 itself, as ExitCode.USAGE documents.
        cli.setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionStrategy(parsed -> {
                    // Help and version print and exit; setting up logging would only slow them down.
                    if (!helpOnly(parsed)) {
                        Logs.quiet(main.verbose);
                    }
                    return new CommandLine.RunLast().execute(parsed);
                })
                .setExecutionExceptionHandler((e, commandLine, parsed) -> handle(e, main.verbose, err));
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Whether any command on the line asked for usage or version help, or is the help command. */
    private static boolean helpOnly(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested()
                    || p.isVersionHelpRequested()
                    || p.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return true;
            }
        }
        return false;
    }

    private static int handle(Exception e, boolean verbose, PrintWriter err) {
        if (e instanceof SettingsException settings) {
            err.println("runsweep: the configuration has " + settings.problems().size()
                    + (settings.problems().size() == 1 ? " problem" : " problems") + "; nothing was run:");
            settings.problems().forEach(p -> err.println("  " + p));
            return ExitCode.USAGE;
        }
        if (e instanceof UsageException) {
            err.println("runsweep: " + e.getMessage());
            return ExitCode.USAGE;
        }
        err.println("runsweep: " + Errors.chain(e));
        if (verbose) {
            e.printStackTrace(err);
        } else {
            err.println("(run with --verbose for the stack trace)");
        }
        return ExitCode.POLICY_FAILED;
    }

    /** The version the build wrote into {@code version.properties}, as the jar's manifest also says it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"runsweep " + QuickAnswers.version()};
        }
    }
}
