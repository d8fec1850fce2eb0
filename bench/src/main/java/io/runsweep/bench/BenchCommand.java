package io.runsweep.bench;

import io.runsweep.bench.measure.BenchReport;
import io.runsweep.bench.measure.Machine;
import io.runsweep.bench.measure.ScenarioResult;
import io.runsweep.bench.postgresql.EmbeddedServer;
import io.runsweep.bench.postgresql.PostgresBench;
import io.runsweep.bench.sqlite.SqliteBench;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.OutputFormat;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "runsweep-bench",
        mixinStandardHelpOptions = true,
        versionProvider = BenchCommand.Version.class,
        description = {
            "Measure Runsweep's purge engine side by side with one DELETE and the Id IN (... LIMIT 10000)"
                    + " loop, on identical scratch copies of a Milvaion-shaped PostgreSQL table (backlog and steady state)"
                    + " and a Prefect-shaped SQLite log table (backlog, with a concurrent writer).",
            "It creates and drops its own schema runsweep_bench (PostgreSQL) and a temporary folder (SQLite), and"
                    + " touches nothing else. Exit 0 when every method deleted the same rows, 1 when not or when a"
                    + " method failed; missed targets are reported, not an error."
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--url",
            paramLabel = "JDBC_URL",
            description = "a PostgreSQL server of your own, instead of"
                    + " the embedded one the bench starts; the bench works only in its own schema runsweep_bench there")
    String url;

    @Option(
            names = "--rows",
            paramLabel = "N",
            description = "rows of the PostgreSQL table (default: ${DEFAULT-VALUE})")
    long rows = 1_000_000;

    @Option(names = "--sqlite-rows", paramLabel = "N", description = "rows of the SQLite log table (default: --rows)")
    Long sqliteRows;

    @Option(
            names = "--repeat",
            paramLabel = "N",
            description = "run each method N times, each on a fresh copy,"
                    + " in rounds of all three, and report the median run (default: ${DEFAULT-VALUE})")
    int repeat = 1;

    @Option(names = "--only", paramLabel = "postgresql|sqlite", description = "run one part only")
    Part only;

    @Option(names = "--format", paramLabel = "text|json", description = "output format (default: text)")
    OutputFormat format = OutputFormat.TEXT;

    @Option(
            names = {"-v", "--verbose"},
            description = "show stack traces with errors")
    boolean verbose;

    private static final long MIN_ROWS = 1_000;
    private static final int MAX_REPEAT = 25;

    private final Clock clock;

    BenchCommand(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(run(args, Clock.systemUTC(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs one command line and returns its exit code: 0 when every method deleted the same rows, 1 when not or
     * when a method failed, 2 for bad usage.
     */
    static int run(String[] args, Clock clock, PrintWriter out, PrintWriter err) {
        BenchCommand command = new BenchCommand(clock);
        CommandLine cli = new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, args2) -> {
                    err.println("runsweep-bench: " + e.getMessage());
                    return USAGE;
                })
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    err.println("runsweep-bench: " + Errors.chain(e));
                    if (command.verbose) {
                        e.printStackTrace(err);
                    }
                    return FAILED;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static final int OK = 0;
    private static final int FAILED = 1;
    private static final int USAGE = 2;

    enum Part {
        postgresql,
        sqlite
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        DatabaseUrl server = url == null ? null : postgresUrl(url);
        PrintWriter out = spec.commandLine().getOut();
        boolean text = format == OutputFormat.TEXT;
        Machine machine = Machine.now();
        print(out, text ? BenchTextReport.header(machine) : "");
        Consumer<ScenarioResult> done = result -> print(out, text ? BenchTextReport.scenario(result) : "");
        List<ScenarioResult> results = run(server, clock.instant(), done);
        BenchReport report = BenchReport.endedNow(machine, results);
        print(out, text ? BenchTextReport.footer(report) : BenchJsonReport.render(report));
        return report.allSameRows() ? OK : FAILED;
    }

    private void checkOptions() {
        if (rows < MIN_ROWS || sqliteRows() < MIN_ROWS) {
            throw new ParameterException(spec.commandLine(), "--rows and --sqlite-rows must be at least " + MIN_ROWS);
        }
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new ParameterException(spec.commandLine(), "--repeat must be 1 to " + MAX_REPEAT);
        }
        if (url != null && only == Part.sqlite) {
            throw new ParameterException(
                    spec.commandLine(), "--url names a PostgreSQL server; it has no use with --only sqlite");
        }
    }

    private long sqliteRows() {
        return sqliteRows == null ? rows : sqliteRows;
    }

    private List<ScenarioResult> run(DatabaseUrl server, Instant now, Consumer<ScenarioResult> done) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> progress = line -> {
            err.println("bench: " + line);
            err.flush();
        };
        List<ScenarioResult> results = new ArrayList<>();
        if (only != Part.sqlite) {
            results.addAll(postgres(server, now, progress, done));
        }
        if (only != Part.postgresql) {
            results.add(sqlite(sqliteRows(), repeat, now, progress, done));
        }
        return results;
    }

    private static void print(PrintWriter out, String text) {
        out.print(text);
        out.flush();
    }

    private List<ScenarioResult> postgres(
            DatabaseUrl server, Instant now, Consumer<String> progress, Consumer<ScenarioResult> done)
            throws Exception {
        if (server != null) {
            return new PostgresBench(server, new SweepEngine(), progress, done).run(rows, repeat, now);
        }
        progress.accept("starting an embedded PostgreSQL server");
        try (EmbeddedServer embedded = EmbeddedServer.start()) {
            return new PostgresBench(embedded.url(), new SweepEngine(), progress, done).run(rows, repeat, now);
        }
    }

    private static ScenarioResult sqlite(
            long rows, int repeat, Instant now, Consumer<String> progress, Consumer<ScenarioResult> done)
            throws Exception {
        Path dir = Files.createTempDirectory("runsweep-bench-");
        try {
            return new SqliteBench(dir, new SweepEngine(), progress, done).run(rows, repeat, now);
        } finally {
            deleteTree(dir);
        }
    }

    private DatabaseUrl postgresUrl(String text) {
        DatabaseUrl parsed;
        try {
            parsed = DatabaseUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url: " + e.getMessage());
        }
        if (parsed.kind() != DatabaseKind.POSTGRESQL) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--url must name a PostgreSQL database; the SQLite part always uses a file of its"
                            + " own in a temporary folder");
        }
        return parsed;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BenchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"runsweep-bench " + (version == null ? "development build" : version)};
        }
    }
}
