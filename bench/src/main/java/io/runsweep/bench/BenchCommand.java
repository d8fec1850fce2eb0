package io.runsweep.bench;

import io.runsweep.bench.dryrun.DryRunBench;
import io.runsweep.bench.dryrun.DryRunResult;
import io.runsweep.bench.footprint.Footprint;
import io.runsweep.bench.footprint.FootprintResult;
import io.runsweep.bench.measure.Engine;
import io.runsweep.bench.measure.Machine;
import io.runsweep.bench.measure.Method;
import io.runsweep.bench.measure.Scenario;
import io.runsweep.bench.measure.ScenarioResult;
import io.runsweep.bench.postgresql.BenchSchema;
import io.runsweep.bench.postgresql.EmbeddedServer;
import io.runsweep.bench.postgresql.InstalledServer;
import io.runsweep.bench.postgresql.PostgresBench;
import io.runsweep.bench.postgresql.ThrowawayServer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
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
                    + " loop, on identical scratch copies of a Milvaion-shaped PostgreSQL table (backlog, backlog on an"
                    + " interleaved heap, steady state; the scheduler's server writing meanwhile) and a Prefect-shaped"
                    + " SQLite log table (backlog, with a concurrent writer); the Prefect preset's dry run beside one"
                    + " count(*); and runsweep.jar's footprint as a process.",
            "It creates and drops its own schema runsweep_bench (PostgreSQL) and a temporary folder (SQLite), and"
                    + " touches nothing else. Exit 0 when every method deleted the same rows and every dry-run count"
                    + " was exact, 1 when not or when a method failed; missed targets are reported, not an error."
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
            names = "--server-binaries",
            paramLabel = "DIR",
            description = "start the throwaway PostgreSQL server from the binaries installed in DIR (initdb, pg_ctl,"
                    + " postgres), e.g. /usr/lib/postgresql/15/bin, instead of the embedded ones, which are built"
                    + " without lz4; as root, the server runs as the system user postgres")
    Path serverBinaries;

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
                    + " in rounds of every method whose order alternates, and report the median run (default:"
                    + " ${DEFAULT-VALUE})")
    int repeat = 3;

    @Option(
            names = "--only",
            paramLabel = "PART",
            split = ",",
            description = "run these parts only (repeatable or comma-separated): postgresql, sqlite, dry-run,"
                    + " footprint (default: all)")
    List<Part> only = new ArrayList<>();

    @Option(
            names = "--scenario",
            paramLabel = "NAME",
            split = ",",
            description = "PostgreSQL scenarios to run (repeatable or comma-separated): backlog, backlog-interleaved,"
                    + " steady-state (default: all three)")
    List<String> scenarioNames = new ArrayList<>();

    @Option(
            names = "--target-duration",
            paramLabel = "MILLIS",
            description = "the engine's runsweep.batch.target-duration in milliseconds, instead of reference.conf's:"
                    + " where its time and the writer's longest wait meet. Batches still stop at"
                    + " runsweep.batch.max-size rows (250,000), whatever the target")
    Long targetDurationMillis;

    @Option(
            names = "--also-one-connection",
            description = "PostgreSQL: measure the engine a second way too, with runsweep.database.pool-size = 1"
                    + " (\"engine, pool 1\"): having no connection to spare, it counts the expiring rows before its"
                    + " first batch, not beside its batches")
    boolean alsoOneConnection;

    @Option(
            names = "--also-server-wal",
            description = "PostgreSQL: measure the engine a second way too, with runsweep.batch.compress-wal = false"
                    + " (\"engine, server's WAL\"): its batches write their WAL's full-page images as the server"
                    + " does, not compressed with lz4")
    boolean alsoServerWal;

    @Option(
            names = "--dry-run-flow-runs",
            paramLabel = "N",
            description = "flow runs of the Prefect history the dry run reads (default: ${DEFAULT-VALUE})")
    int dryRunFlowRuns = 1_000_000;

    @Option(
            names = "--runsweep-jar",
            paramLabel = "FILE",
            description = "runsweep.jar, for the footprint (default: app/target/runsweep.jar beside the bench's"
                    + " module, or in the current folder)")
    Path runsweepJar;

    @Option(
            names = "--jvm-flags",
            paramLabel = "FLAGS",
            description = "flags for java before -jar runsweep.jar, for the footprint, e.g. \"-Xmx64m\" (default:"
                    + " the shipped ones, @deploy/jvm.options of the jar's checkout, when there is one; else none)")
    String jvmFlags;

    @Option(
            names = "--footprint-seconds",
            paramLabel = "N",
            description = "how long the daemon runs ten policies a second (default: ${DEFAULT-VALUE})")
    int footprintSeconds = 60;

    @Option(names = "--format", paramLabel = "text|json", description = "output format (default: text)")
    OutputFormat format = OutputFormat.TEXT;

    @Option(
            names = {"-v", "--verbose"},
            description = "show stack traces with errors")
    boolean verbose;

    private static final long MIN_ROWS = 1_000;
    private static final int MAX_REPEAT = 25;
    private static final int MIN_FLOW_RUNS = 100;

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

    private static final long MIN_TARGET_MILLIS = 10;
    private static final long MAX_TARGET_MILLIS = 60_000;
    private static final int OK = 0;
    private static final int FAILED = 1;
    private static final int USAGE = 2;

    enum Part {
        POSTGRESQL("postgresql"),
        SQLITE("sqlite"),
        DRY_RUN("dry-run"),
        FOOTPRINT("footprint");

        private final String option;

        Part(String option) {
            this.option = option;
        }

        @Override
        public String toString() {
            return option;
        }
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        DatabaseUrl server = url == null ? null : postgresUrl(url);
        Path jar = parts().contains(Part.FOOTPRINT) ? runsweepJar() : null;
        PrintWriter out = spec.commandLine().getOut();
        boolean text = format == OutputFormat.TEXT;
        Machine machine = Machine.now();
        print(
                out,
                text
                        ? BenchTextReport.header(machine)
                                + BenchTextReport.engine(targetDuration())
                                + BenchTextReport.oneConnection(alsoOneConnection)
                                + BenchTextReport.serverWal(alsoServerWal)
                        : "");
        Consumer<ScenarioResult> done = result -> print(out, text ? BenchTextReport.scenario(result) : "");
        Instant now = clock.instant();
        List<ScenarioResult> results = new ArrayList<>();
        List<DryRunResult> dryRuns = new ArrayList<>();
        postgres(server, now, results, dryRuns, done);
        if (parts().contains(Part.DRY_RUN)) {
            dryRuns.add(sqliteDryRun(now));
        }
        dryRuns.forEach(d -> print(out, text ? BenchTextReport.dryRun(d) : ""));
        if (parts().contains(Part.SQLITE)) {
            results.add(sqlite(sqliteRows(), repeat, now, engine(), progress(), done));
        }
        Optional<FootprintResult> footprint = Optional.empty();
        if (jar != null) {
            footprint = Optional.of(footprint(jar));
            print(out, text ? BenchTextReport.footprint(footprint.get()) : "");
        }
        BenchReport report = BenchReport.endedNow(machine, targetDuration(), results, dryRuns, footprint);
        print(out, text ? BenchTextReport.footer(report) : BenchJsonReport.render(report));
        return report.allSameRows() ? OK : FAILED;
    }

    private SweepEngine engine() {
        return new SweepEngine(targetDuration(), OptionalInt.empty(), true);
    }

    /** The engine measured a second and third way, as --also-one-connection and --also-server-wal ask. */
    private Map<Method, Engine> otherEngines() {
        Map<Method, Engine> engines = new EnumMap<>(Method.class);
        if (alsoOneConnection) {
            engines.put(Method.ENGINE_ONE_CONNECTION, new SweepEngine(targetDuration(), OptionalInt.of(1), true));
        }
        if (alsoServerWal) {
            engines.put(Method.ENGINE_SERVER_WAL, new SweepEngine(targetDuration(), OptionalInt.empty(), false));
        }
        return engines;
    }

    private Optional<Duration> targetDuration() {
        return Optional.ofNullable(targetDurationMillis).map(Duration::ofMillis);
    }

    private Set<Part> parts() {
        return only.isEmpty() ? EnumSet.allOf(Part.class) : EnumSet.copyOf(only);
    }

    private void checkOptions() {
        if (rows < MIN_ROWS || sqliteRows() < MIN_ROWS) {
            throw new ParameterException(spec.commandLine(), "--rows and --sqlite-rows must be at least " + MIN_ROWS);
        }
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new ParameterException(spec.commandLine(), "--repeat must be 1 to " + MAX_REPEAT);
        }
        if (dryRunFlowRuns < MIN_FLOW_RUNS) {
            throw new ParameterException(spec.commandLine(), "--dry-run-flow-runs must be at least " + MIN_FLOW_RUNS);
        }
        if (targetDurationMillis != null
                && (targetDurationMillis < MIN_TARGET_MILLIS || targetDurationMillis > MAX_TARGET_MILLIS)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--target-duration must be " + MIN_TARGET_MILLIS + " to " + MAX_TARGET_MILLIS + " milliseconds");
        }
        if ((alsoOneConnection || alsoServerWal) && !parts().contains(Part.POSTGRESQL)) {
            throw new ParameterException(
                    spec.commandLine(),
                    (alsoOneConnection ? "--also-one-connection" : "--also-server-wal")
                            + " measures the PostgreSQL engine; it needs the postgresql part");
        }
        if (!scenarioNames.isEmpty() && !parts().contains(Part.POSTGRESQL)) {
            throw new ParameterException(
                    spec.commandLine(), "--scenario chooses PostgreSQL scenarios; it needs the postgresql part");
        }
        scenarios();
        if (footprintSeconds < 5) {
            throw new ParameterException(spec.commandLine(), "--footprint-seconds must be at least 5");
        }
        if (url != null && serverBinaries != null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--server-binaries starts a server for the bench; --url names one already running: give one"
                            + " or the other");
        }
        if ((url != null || serverBinaries != null)
                && !parts().contains(Part.POSTGRESQL)
                && !parts().contains(Part.DRY_RUN)) {
            throw new ParameterException(
                    spec.commandLine(),
                    (url != null ? "--url names" : "--server-binaries starts")
                            + " a PostgreSQL server; it has no use with --only " + only.get(0));
        }
        if (serverBinaries != null) {
            InstalledServer.whyNot(serverBinaries).ifPresent(why -> {
                throw new ParameterException(spec.commandLine(), "--server-binaries: " + why);
            });
        }
    }

    /** The PostgreSQL scenarios asked for, in the bench's own order. */
    private Set<Scenario> scenarios() {
        if (scenarioNames.isEmpty()) {
            return EnumSet.allOf(Scenario.class);
        }
        Set<Scenario> chosen = EnumSet.noneOf(Scenario.class);
        for (String name : scenarioNames) {
            chosen.add(Stream.of(Scenario.values())
                    .filter(s -> s.key().equals(name.trim()))
                    .findFirst()
                    .orElseThrow(() -> new ParameterException(
                            spec.commandLine(),
                            "--scenario: no scenario '" + name + "'; there are "
                                    + String.join(
                                            ", ",
                                            Stream.of(Scenario.values())
                                                    .map(Scenario::key)
                                                    .toList()))));
        }
        return chosen;
    }

    private long sqliteRows() {
        return sqliteRows == null ? rows : sqliteRows;
    }

    private Consumer<String> progress() {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println("bench: " + line);
            err.flush();
        };
    }

    /**
     * The PostgreSQL scenarios and dry run, on one server: the user's, or one started for them, embedded or from the
     * binaries given.
     */
    private void postgres(
            DatabaseUrl server,
            Instant now,
            List<ScenarioResult> results,
            List<DryRunResult> dryRuns,
            Consumer<ScenarioResult> done)
            throws Exception {
        if (!parts().contains(Part.POSTGRESQL) && !parts().contains(Part.DRY_RUN)) {
            return;
        }
        if (server != null) {
            postgresOn(server, now, results, dryRuns, done);
            return;
        }
        progress()
                .accept(
                        serverBinaries == null
                                ? "starting an embedded PostgreSQL server"
                                : "starting a PostgreSQL server from " + serverBinaries);
        try (ThrowawayServer started =
                serverBinaries == null ? EmbeddedServer.start() : InstalledServer.start(serverBinaries)) {
            postgresOn(started.url(), now, results, dryRuns, done);
        }
    }

    /**
     * How to bench on a server built with lz4, where this machine has binaries of one and the bench would run on its
     * embedded server, which is built without.
     */
    private Optional<String> lz4Elsewhere() {
        if (url != null || serverBinaries != null) {
            return Optional.empty();
        }
        return InstalledServer.findWithLz4()
                .map(found -> "--server-binaries " + found.bin() + " benches on this machine's " + found.version()
                        + ", built with lz4");
    }

    private void postgresOn(
            DatabaseUrl server,
            Instant now,
            List<ScenarioResult> results,
            List<DryRunResult> dryRuns,
            Consumer<ScenarioResult> done)
            throws Exception {
        if (parts().contains(Part.POSTGRESQL)) {
            results.addAll(new PostgresBench(server, engine(), otherEngines(), lz4Elsewhere(), progress(), done)
                    .run(rows, repeat, now, scenarios()));
        }
        if (parts().contains(Part.DRY_RUN)) {
            dryRuns.add(postgresDryRun(server, now));
        }
    }

    /** In the bench's own schema, dropped afterwards whatever happens. */
    private DryRunResult postgresDryRun(DatabaseUrl server, Instant now) throws Exception {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                server.jdbcUrl(), server.user().orElse(null), server.password().orElse(null))) {
            BenchSchema.create(connection, progress());
            try {
                return new DryRunBench(progress()).run(BenchSchema.inSchema(server), dryRunFlowRuns, now);
            } finally {
                BenchSchema.drop(connection);
            }
        }
    }

    private DryRunResult sqliteDryRun(Instant now) throws Exception {
        Path dir = Files.createTempDirectory("runsweep-bench-");
        try {
            return new DryRunBench(progress())
                    .run(DatabaseUrl.ofSqliteFile(dir.resolve("prefect.db")), dryRunFlowRuns, now);
        } finally {
            deleteTree(dir);
        }
    }

    private FootprintResult footprint(Path jar) throws Exception {
        Path dir = Files.createTempDirectory("runsweep-bench-");
        try {
            List<String> flags = jvmFlags == null
                    ? shippedFlags(jar)
                    : jvmFlags.isBlank()
                            ? List.of()
                            : Arrays.asList(jvmFlags.trim().split("\\s+"));
            return new Footprint(jar, flags, dir, progress()).measure(Duration.ofSeconds(footprintSeconds));
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The flags the image and the service units start the daemon with: java reads them from deploy/jvm.options of
     * the checkout the jar was built in (app/target/runsweep.jar), given as an @argument file.
     */
    private static List<String> shippedFlags(Path jar) {
        Path options = jar.toAbsolutePath()
                .getParent()
                .resolve("../../deploy/jvm.options")
                .normalize();
        return Files.isRegularFile(options) ? List.of("@" + options) : List.of();
    }

    /** The given jar, or the one the build puts beside the bench's module, or one in the current folder. */
    private Path runsweepJar() {
        if (runsweepJar != null) {
            if (!Files.isRegularFile(runsweepJar)) {
                throw new ParameterException(spec.commandLine(), "--runsweep-jar: no file " + runsweepJar);
            }
            return runsweepJar;
        }
        List<Path> candidates = new ArrayList<>();
        try {
            Path benchJar = Path.of(BenchCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            candidates.add(
                    benchJar.resolveSibling("../../app/target/runsweep.jar").normalize());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // not run from a jar on the file system: only the current folder is tried
        }
        candidates.add(Path.of("app", "target", "runsweep.jar"));
        return candidates.stream()
                .filter(Files::isRegularFile)
                .findFirst()
                .orElseThrow(() -> new ParameterException(
                        spec.commandLine(),
                        "the footprint needs runsweep.jar: build it (mvn package) or give --runsweep-jar, or leave"
                                + " the footprint out with --only"));
    }

    private static void print(PrintWriter out, String text) {
        out.print(text);
        out.flush();
    }

    private static ScenarioResult sqlite(
            long rows,
            int repeat,
            Instant now,
            SweepEngine engine,
            Consumer<String> progress,
            Consumer<ScenarioResult> done)
            throws Exception {
        Path dir = Files.createTempDirectory("runsweep-bench-");
        try {
            return new SqliteBench(dir, engine, progress, done).run(rows, repeat, now);
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
                    "--url must name a PostgreSQL database; the SQLite parts always use files of their"
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
