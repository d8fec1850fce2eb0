package io.runsweep.bench.footprint;

import io.runsweep.bench.measure.BenchException;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.PrefectSeeder;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.seed.SeedOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Measures {@code runsweep.jar} as a process: how long {@code --help} takes, and how much memory the daemon holds
 * idle and while ten policies each run every second, on a small Prefect SQLite database of its own. Linux only:
 * memory is read from {@code /proc}.
 */
public final class Footprint {
    static final int HELP_RUNS = 5;
    static final int BUSY_POLICIES = 10;
    /** The idle daemon settles this long (JIT, first collections) before its memory is sampled. */
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private static final Duration IDLE_SAMPLING = Duration.ofSeconds(5);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    private static final Pattern POLICY_RUN = Pattern.compile(" fp-\\d\\d - (succeeded|failed|skipped)");

    private final Path jar;
    private final List<String> jvmFlags;
    private final Path dir;
    private final Consumer<String> progress;

    /** Runs {@code jar} with {@code jvmFlags}, working in {@code dir}. */
    public Footprint(Path jar, List<String> jvmFlags, Path dir, Consumer<String> progress) {
        this.jar = jar.toAbsolutePath();
        this.jvmFlags = List.copyOf(jvmFlags);
        this.dir = dir;
        this.progress = progress;
    }

    public FootprintResult measure(Duration busyFor) throws Exception {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            throw new BenchException("the footprint is read from /proc, which this system does not have");
        }
        List<Duration> help = new ArrayList<>();
        for (int i = 1; i <= HELP_RUNS; i++) {
            progress.accept("footprint: java -jar " + jar.getFileName() + " --help, run " + i + " of " + HELP_RUNS);
            help.add(helpTime());
        }
        Path database = seededDatabase();
        progress.accept(
                "footprint: the daemon idle for " + SETTLE.plus(IDLE_SAMPLING).toSeconds() + " s");
        long idle = idleRss(config("idle.conf", database, idleConfig()));
        progress.accept("footprint: the daemon running " + BUSY_POLICIES + " policies a second for "
                + busyFor.toSeconds() + " s");
        Path busyLog = dir.resolve("busy.log");
        long[] busy = busyRss(config("busy.conf", database, busyConfig()), busyFor, busyLog);
        return new FootprintResult(
                String.join(" ", jvmFlags),
                help,
                idle,
                busy[0],
                busy[1],
                BUSY_POLICIES * busyFor.toSeconds(),
                busyFor.toSeconds());
    }

    private Duration helpTime() throws IOException, InterruptedException {
        ProcessBuilder builder = command(List.of("--help"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        long started = System.nanoTime();
        Process process = builder.start();
        int code = process.waitFor();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (code != 0) {
            throw new BenchException("java -jar " + jar + " --help exited with " + code);
        }
        return took;
    }

    /** A small Prefect history, so that the daemon's policies plan and delete against real tables. */
    private Path seededDatabase() throws SQLException {
        Path file = dir.resolve("prefect.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            PrefectSchema.create(connection, SchemaDialect.SQLITE);
            new PrefectSeeder(SeedOptions.builder()
                            .flowRuns(500)
                            .days(120)
                            .now(Instant.now())
                            .build())
                    .seed(connection, SchemaDialect.SQLITE);
        }
        return file;
    }

    private long idleRss(Path config) throws Exception {
        Process daemon = daemon(config, dir.resolve("idle.log"));
        try {
            sleep(SETTLE, daemon);
            long most = 0;
            long until = System.nanoTime() + IDLE_SAMPLING.toNanos();
            while (System.nanoTime() < until) {
                most = Math.max(most, ProcStatus.of(daemon.pid()).rssBytes());
                sleep(SAMPLE_EVERY, daemon);
            }
            return most;
        } finally {
            stop(daemon);
        }
    }

    /** The peak resident memory and the policy runs logged. */
    private long[] busyRss(Path config, Duration busyFor, Path log) throws Exception {
        Process daemon = daemon(config, log);
        long peak;
        try {
            sleep(busyFor, daemon);
            peak = ProcStatus.of(daemon.pid()).peakRssBytes();
        } finally {
            stop(daemon);
        }
        long runs = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> POLICY_RUN.matcher(line).find())
                .count();
        return new long[] {peak, runs};
    }

    private Process daemon(Path config, Path log) throws IOException {
        return command(List.of("daemon", "--config", config.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile())
                .start();
    }

    /** {@code java <flags> -jar runsweep.jar <args>}, with none of the user's RUNSWEEP_ or PREFECT_ variables. */
    private ProcessBuilder command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("RUNSWEEP_") || name.startsWith("PREFECT_"));
        return builder;
    }

    private static void sleep(Duration duration, Process daemon) throws InterruptedException {
        if (daemon.waitFor(duration.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new BenchException("the daemon exited with " + daemon.exitValue() + " while being measured");
        }
    }

    /** SIGTERM, as a service manager stops it; killed if it is still there after its shutdown timeout. */
    private static void stop(Process daemon) throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(45, TimeUnit.SECONDS)) {
            daemon.destroyForcibly().waitFor();
        }
    }

    private Path config(String name, Path database, String policies) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(
                file,
                "runsweep {\n  database.url = \"jdbc:sqlite:" + database.toAbsolutePath() + "\"\n"
                        + "  http.port = 0\n  http.host = \"127.0.0.1\"\n" + policies + "}\n");
        return file;
    }

    /** The Prefect preset's five policies, hourly as it schedules them: none due while measured. */
    private static String idleConfig() {
        return "  preset = prefect\n";
    }

    /** Ten policies over the log and events tables, each every second. */
    private static String busyConfig() {
        StringBuilder conf = new StringBuilder("  policies {\n");
        for (int i = 1; i <= BUSY_POLICIES; i++) {
            boolean logs = i % 2 == 1;
            conf.append(String.format(
                    Locale.ROOT,
                    "    fp-%02d { table = %s, time-column = %s, older-than = %dd, max-fraction = 1.0,"
                            + " schedule = \"* * * * * ?\" }%n",
                    i,
                    logs ? "log" : "events",
                    logs ? "timestamp" : "occurred",
                    100 - i));
        }
        return conf.append("  }\n").toString();
    }
}
