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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("sweep", () -> new SweepCommand(environment, clock));
        commands.put("config", () -> new ConfigCommand(environment));
        commands.put("report", () -> new ReportCommand(environment, clock));
        commands.put("seed", () -> new SeedCommand(environment, clock));
        commands.put("demo", () -> new DemoCommand(environment, clock));
        commands.put("partition", () -> PartitionCommand.create(environment, clock));
        commands.put("daemon", () -> new DaemonCommand(environment, clock, () -> main.verbose));
        commands.put("maintain", () -> new MaintainCommand(environment, clock));
        commands.put("check", () -> new CheckCommand(environment, clock));
        commands.put("archive", () -> ArchiveCommand.create(environment, clock));
        CommandLine cli = new CommandLine(main);
        // picocli reads a command's annotations when it is added: all ten cost about 0.1 s at every start. A line
        // that names one command gets that one alone; any other (help, a usage error, a misspelt name, whose
        // answers list or suggest the commands) gets them all.
        Optional<String> named = namedCommand(args).filter(commands::containsKey);
        for (Map.Entry<String, Supplier<Object>> command : commands.entrySet()) {
            if (named.isEmpty() || named.get().equals(command.getKey())) {
                cli.addSubcommand(command.getKey(), command.getValue().get());
            }
        }
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

    /**
     * The command a line names: its first word after nothing but {@code -v} or {@code --verbose}. Empty when
     * anything else comes first (another option, an argument file), which picocli answers with the usage.
     */
    static Optional<String> namedCommand(String[] args) {
        for (String arg : args) {
            if (!arg.equals("-v") && !arg.equals("--verbose")) {
                return arg.startsWith("-") || arg.startsWith("@") ? Optional.empty() : Optional.of(arg);
            }
        }
        return Optional.empty();
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
