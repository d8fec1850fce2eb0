package io.runsweep.bench.dryrun;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgePlanner;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.PrefectSeeder;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.seed.SeedOptions;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.connect.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Prefect preset's dry run on a seeded Prefect history, timed beside one {@code count(*)} of the largest table
 * it reads, on the same open database, each timed three times after one untimed run; then every count it
 * reported is compared with a plain count of the same rows.
 */
public final class DryRunBench {
    static final int TIMED_RUNS = 3;
    /** A year of history: the preset's 90-day policies find three quarters of the runs old, its 7-day ones most events. */
    private static final int DAYS = 365;

    private final Consumer<String> progress;

    public DryRunBench(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * Seeds {@code flowRuns} flow runs into the empty database at {@code url} (PostgreSQL: the bench's schema, by
     * {@code currentSchema}; SQLite: a new file), then measures.
     */
    public DryRunResult run(DatabaseUrl url, long flowRuns, Instant now) throws Exception {
        Settings settings = settings(url);
        String title = "dry run, " + (url.kind() == DatabaseKind.SQLITE ? "SQLite" : "PostgreSQL");
        String server;
        try (Database database = Databases.open(
                url, Connections.options(settings.database(), false).withCreateIfMissing(true))) {
            try (Connection connection = database.connection()) {
                server = database.dialect().version(connection);
                seed(connection, url.kind(), flowRuns, now, title);
            }
        }
        try (Database database = Databases.open(url, Connections.options(settings.database(), true))) {
            List<PolicySettings> policies = settings.enabledPolicies();
            List<PurgePlan> plans = plans(database, policies, now);
            Map<String, Long> bytes = tableBytes(database, plans);
            String largest = bytes.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            progress.accept(title + ": timing count(*) of " + largest + ", then the dry run counting and estimating, "
                    + (TIMED_RUNS + 1) + " times each");
            List<Duration> counts = timed(() -> countAll(database, largest));
            List<SweepReport> reports = new ArrayList<>();
            List<Duration> dryRuns = timed(() -> reports.add(dryRun(database, settings, policies, now, false)));
            List<Duration> estimates = timed(() -> dryRun(database, settings, policies, now, true));
            List<String> mismatches = new ArrayList<>();
            List<DryRunResult.PlainCount> plain = compare(database, plans, reports.get(reports.size() - 1), mismatches);
            return new DryRunResult(
                    url.kind(),
                    server,
                    flowRuns,
                    largest,
                    bytes.get(largest),
                    counts,
                    dryRuns,
                    estimates,
                    mismatches,
                    plain.size(),
                    plain.stream()
                            .max(Comparator.comparing(DryRunResult.PlainCount::time))
                            .orElseThrow());
        }
    }

    /** The Prefect preset on {@code url}, with reference.conf's defaults and nothing of the user's. */
    private static Settings settings(DatabaseUrl url) throws Exception {
        Path file = Files.createTempFile("runsweep-bench-", ".conf");
        try {
            Files.writeString(
                    file,
                    "runsweep {\n  database.url = \"" + url.jdbcUrl().replace("\"", "\\\"")
                            + "\"\n  preset = prefect\n}\n");
            return SettingsLoader.load(Optional.of(file), Map.of(), cron -> Optional.empty());
        } finally {
            Files.delete(file);
        }
    }

    private void seed(Connection connection, DatabaseKind kind, long flowRuns, Instant now, String title)
            throws SQLException {
        SchemaDialect dialect = kind == DatabaseKind.SQLITE ? SchemaDialect.SQLITE : SchemaDialect.POSTGRESQL;
        PrefectSchema.create(connection, dialect);
        new PrefectSeeder(SeedOptions.builder()
                        .flowRuns(Math.toIntExact(flowRuns))
                        .days(DAYS)
                        .now(now)
                        .progress(line -> progress.accept(title + ": " + line))
                        .build())
                .seed(connection, dialect);
        progress.accept(title + ": " + (kind == DatabaseKind.SQLITE ? "ANALYZE" : "VACUUM ANALYZE")
                + ", as the server's own maintenance would have");
        try (Statement s = connection.createStatement()) {
            s.execute(kind == DatabaseKind.SQLITE ? "ANALYZE" : "VACUUM ANALYZE");
            if (kind == DatabaseKind.SQLITE) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }

    private static List<PurgePlan> plans(Database database, List<PolicySettings> policies, Instant now)
            throws SQLException {
        List<PurgePlan> plans = new ArrayList<>();
        try (Connection connection = database.connection()) {
            PurgePlanner planner = new PurgePlanner(database.dialect());
            for (PolicySettings policy : policies) {
                plans.add(planner.plan(connection, policy, now));
            }
        }
        return plans;
    }

    /** Every table a plan reads: the policies' own, their dependents and their cascades, by size. */
    private static Map<String, Long> tableBytes(Database database, List<PurgePlan> plans) throws SQLException {
        Dialect dialect = database.dialect();
        Map<String, Long> bytes = new LinkedHashMap<>();
        try (Connection connection = database.connection()) {
            for (PurgePlan plan : plans) {
                List<TableName> names = new ArrayList<>(List.of(plan.table().name()));
                plan.dependents().forEach(d -> names.add(d.table().name()));
                plan.cascades().forEach(c -> names.add(c.table()));
                for (TableName name : names) {
                    Table table = dialect.describe(connection, name).orElseThrow();
                    bytes.putIfAbsent(name.toString(), dialect.totalBytes(connection, table));
                }
            }
        }
        return bytes;
    }

    private static void countAll(Database database, String table) throws SQLException {
        try (Connection connection = database.connection()) {
            count(
                    connection,
                    Sql.of("SELECT count(*) FROM " + TableName.parse(table).quoted(), List.of()));
        }
    }

    /**
     * What {@code runsweep sweep --dry-run} (with {@code --estimate}: {@code estimate}) does once the configuration
     * is read and the database open.
     */
    private static SweepReport dryRun(
            Database database, Settings settings, List<PolicySettings> policies, Instant now, boolean estimate)
            throws SQLException {
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now));
        Sweep sweep = new Sweep(
                database,
                new RunOptions(settings.database().lockTimeout(), settings.batch(), false),
                clock,
                new StopSignal());
        return (estimate ? sweep.estimatingCounts() : sweep)
                .withMaintenance(settings.maintenance())
                .guarding(settings.enabledPolicies())
                .withThrottle(settings.throttle())
                .run(policies, true, PurgeProgress.NONE);
    }

    /**
     * Each count of each report, against one plain count of the plan's own statement for that table.
     *
     * @return each plain count, timed: the slowest is a floor under any dry run that counts
     */
    private static List<DryRunResult.PlainCount> compare(
            Database database, List<PurgePlan> plans, SweepReport report, List<String> mismatches) throws SQLException {
        List<DryRunResult.PlainCount> compared = new ArrayList<>();
        try (Connection connection = database.connection()) {
            for (int i = 0; i < plans.size(); i++) {
                PurgePlan plan = plans.get(i);
                PolicyReport policy = report.policies().get(i);
                Map<String, Sql> statements = new LinkedHashMap<>();
                statements.put(plan.table().name().toString(), plan.count());
                plan.dependents()
                        .forEach(d -> statements.putIfAbsent(d.table().name().toString(), d.count()));
                plan.cascades().forEach(c -> statements.putIfAbsent(c.table().toString(), c.count()));
                for (PolicyReport.TableRows rows : policy.tables()) {
                    Sql plain = statements.get(rows.table());
                    if (plain == null) {
                        mismatches.add(plan.name() + ": " + rows.table() + " is not in the plan");
                        continue;
                    }
                    long started = System.nanoTime();
                    long expected = count(connection, plain);
                    compared.add(new DryRunResult.PlainCount(
                            "the count of " + rows.table() + " for policy " + plan.name(),
                            Duration.ofNanos(System.nanoTime() - started)));
                    if (expected != rows.rows()) {
                        mismatches.add(String.format(
                                Locale.ROOT,
                                "%s: %s reported %,d, counted %,d",
                                plan.name(),
                                rows.table(),
                                rows.rows(),
                                expected));
                    }
                }
            }
        }
        return compared;
    }

    private static long count(Connection connection, Sql count) throws SQLException {
        try (PreparedStatement s = count.prepare(connection, BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** One untimed run, then {@link #TIMED_RUNS} timed. */
    private static List<Duration> timed(Step step) throws Exception {
        step.run();
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < TIMED_RUNS; i++) {
            long started = System.nanoTime();
            step.run();
            times.add(Duration.ofNanos(System.nanoTime() - started));
        }
        return times;
    }
}
