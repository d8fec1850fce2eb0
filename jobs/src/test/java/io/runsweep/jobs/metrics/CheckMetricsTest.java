package io.runsweep.jobs.metrics;

import static io.runsweep.jobs.checks.ChecksScenario.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.alert.AlertEvaluator;
import io.runsweep.jobs.alert.AlertListener;
import io.runsweep.jobs.checks.Checks;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.checks.ChecksScenario;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.TableName;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.postgresql.PostgresVacuum;
import io.runsweep.sql.testing.LogCapture;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** Gauges read back from a registry after real checks, against what the database holds. */
class CheckMetricsTest {
    static final String[] ALERTS = {
        "alerts.log-rows { table = log, max-rows = 3 }", "alerts.stuck-runs { stuck = flow-runs, max-stuck = 5 }"
    };

    @TempDir
    Path dir;

    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(CheckMetric metric, String labelValue) {
        return registry.get(metric.metricName())
                .tag(metric.label(), labelValue)
                .gauge()
                .value();
    }

    private double gauge(CheckMetric metric) {
        return registry.get(metric.metricName()).gauge().value();
    }

    private static CheckMetrics publish(Database database, Settings settings, SimpleMeterRegistry registry) {
        CheckMetrics metrics = new CheckMetrics();
        metrics.bindTo(registry);
        update(metrics, database, settings);
        return metrics;
    }

    private static void update(CheckMetrics metrics, Database database, Settings settings) {
        ChecksReport report = new Checks(database, settings, CLOCK).run();
        metrics.update(
                report,
                new AlertEvaluator(settings.alerts(), job -> Optional.empty(), AlertListener.NONE, CLOCK)
                        .evaluate(report));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void everyGaugeReadsTheLatestChecks(DatabaseKind kind) throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(kind, dir)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(dir, ALERTS);
            CheckMetrics metrics = publish(database, settings, registry);

            assertEquals(10, gauge(CheckMetric.TABLE_ROWS, "flow_run"));
            assertEquals(4, gauge(CheckMetric.TABLE_ROWS, "log"));
            assertEquals(0, gauge(CheckMetric.TABLE_ROWS, "event_resources"));
            try (Connection c = database.connection()) {
                for (String table : List.of("flow_run", "log", "task_run")) {
                    double total = database.dialect()
                            .totalBytes(
                                    c,
                                    database.dialect()
                                            .describe(c, TableName.of(table))
                                            .orElseThrow());
                    assertEquals(total, gauge(CheckMetric.TABLE_TOTAL_BYTES, table), table);
                    double toast =
                            total - gauge(CheckMetric.TABLE_BYTES, table) - gauge(CheckMetric.INDEX_BYTES, table);
                    assertEquals(
                            kind == DatabaseKind.SQLITE ? 0 : 8192,
                            toast,
                            table + ": an empty TOAST table has its index page");
                }
            }
            assertEquals(3, gauge(CheckMetric.ROWS_PENDING, "flow-runs"));
            assertEquals(2, gauge(CheckMetric.ROWS_PENDING, "logs"));
            assertEquals(0, gauge(CheckMetric.ROWS_PENDING, "events"));
            assertEquals(200 * 86400, gauge(CheckMetric.OLDEST_ROW_AGE, "flow-runs"));
            assertEquals(120 * 86400, gauge(CheckMetric.OLDEST_ROW_AGE, "logs"));
            assertEquals(0, gauge(CheckMetric.OLDEST_ROW_AGE, "events"), "no rows: 0");
            assertEquals(2, gauge(CheckMetric.STUCK_RUNS, "flow-runs"));
            assertEquals(1, gauge(CheckMetric.ALERT_FIRING, "log-rows"));
            assertEquals(0, gauge(CheckMetric.ALERT_FIRING, "stuck-runs"));

            new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                    .run(settings.enabledPolicies(), false, PurgeProgress.NONE);
            update(metrics, database, settings);

            assertEquals(7, gauge(CheckMetric.TABLE_ROWS, "flow_run"));
            assertEquals(2, gauge(CheckMetric.TABLE_ROWS, "log"));
            assertEquals(0, gauge(CheckMetric.ROWS_PENDING, "flow-runs"));
            assertEquals(10 * 86400, gauge(CheckMetric.OLDEST_ROW_AGE, "flow-runs"));
            assertEquals(0, gauge(CheckMetric.ALERT_FIRING, "log-rows"));
        }
    }

    @Test
    void postgresHasDeadRowsAndLastVacuumAndNoFileGauges() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                s.execute("ALTER TABLE log SET (autovacuum_enabled = false)");
                ChecksScenario.seed(new TestRows(c));
                s.execute("DELETE FROM log WHERE level = 20 AND timestamp < '2026-03-03'");
                new PostgresVacuum().flushStatistics(c);
            }
            Settings settings = ChecksScenario.settings(dir, ALERTS);
            publish(database, settings, registry);

            assertEquals(2, gauge(CheckMetric.TABLE_DEAD_ROWS, "log"));
            assertEquals(0, gauge(CheckMetric.TABLE_LAST_VACUUM, "log"), "never vacuumed");
            assertNull(registry.find(CheckMetric.SQLITE_FILE_BYTES.metricName()).gauge());
            assertEquals(
                    names(Stream.of(CheckMetric.values())
                            .filter(m -> !m.metricName().startsWith("runsweep_sqlite_"))
                            .toArray(CheckMetric[]::new)),
                    registeredNames());
        }
    }

    /**
     * A dashboard's transaction keeps VACUUM from removing any row deleted after its snapshot: the gauges say how
     * long ago it began and how many transactions have begun since, and read 0 once it ends.
     */
    @Test
    void theOldestSnapshotGaugesFollowATransactionHeldOpen() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database database = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
            try (Connection c = database.connection()) {
                PrefectSchema.create(c, SchemaDialect.of(DatabaseKind.POSTGRESQL));
            }
            Settings settings = ChecksScenario.settings(dir, ALERTS);
            CheckMetrics metrics = publish(database, settings, registry);
            assertEquals(0, gauge(CheckMetric.OLDEST_SNAPSHOT_AGE));
            assertEquals(0, gauge(CheckMetric.OLDEST_SNAPSHOT_TRANSACTIONS));

            try (Connection dashboard = DriverManager.getConnection(url + "&ApplicationName=dashboard");
                    Statement d = dashboard.createStatement()) {
                long pid = TestPostgres.holdSnapshot(d);
                long began = System.nanoTime();
                try (Connection app = DriverManager.getConnection(url);
                        Statement a = app.createStatement()) {
                    for (int i = 0; i < 3; i++) {
                        a.execute("SELECT txid_current()");
                    }
                }
                Thread.sleep(1_100);

                ChecksReport report = new Checks(database, settings, CLOCK).run();
                metrics.update(report, List.of());

                long heldFor = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began) + 1;
                double age = gauge(CheckMetric.OLDEST_SNAPSHOT_AGE);
                assertTrue(age >= 1 && age <= heldFor, age + " s, held " + heldFor + " s at most");
                long transactionsAfter;
                try (Connection admin = DriverManager.getConnection(url);
                        Statement a = admin.createStatement();
                        ResultSet rs =
                                a.executeQuery("SELECT age(backend_xmin) FROM pg_stat_activity WHERE pid = " + pid)) {
                    rs.next();
                    transactionsAfter = rs.getLong(1);
                }
                double transactions = gauge(CheckMetric.OLDEST_SNAPSHOT_TRANSACTIONS);
                assertTrue(
                        transactions >= 3 && transactions <= transactionsAfter,
                        transactions + " transactions, then " + transactionsAfter);
                assertEquals(
                        "session pid " + pid + " (role postgres, application dashboard, idle in transaction since ",
                        report.snapshot()
                                .orElseThrow()
                                .oldest()
                                .orElseThrow()
                                .holder()
                                .describe()
                                .replaceAll("since .*", "since "));
                d.execute("COMMIT");
            }

            update(metrics, database, settings);
            assertEquals(0, gauge(CheckMetric.OLDEST_SNAPSHOT_AGE));
            assertEquals(0, gauge(CheckMetric.OLDEST_SNAPSHOT_TRANSACTIONS));
        }
    }

    @Test
    void sqliteHasFileGaugesAndNoDeadRows() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir)) {
            long freePages;
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                ChecksScenario.seed(new TestRows(c));
                s.execute("UPDATE log SET message = hex(randomblob(20000))");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                s.execute("DELETE FROM log");
                try (ResultSet rs = s.executeQuery("PRAGMA freelist_count")) {
                    rs.next();
                    freePages = rs.getLong(1);
                }
            }
            publish(database, ChecksScenario.settings(dir, ALERTS), registry);

            assertEquals(Files.size(dir.resolve("prefect.db")), gauge(CheckMetric.SQLITE_FILE_BYTES));
            assertEquals(Files.size(dir.resolve("prefect.db-wal")), gauge(CheckMetric.SQLITE_WAL_BYTES));
            assertEquals(freePages, gauge(CheckMetric.SQLITE_FREE_PAGES));
            assertTrue(freePages > 0, "the deleted messages' overflow pages are free: " + freePages);
            assertEquals(
                    names(Stream.of(CheckMetric.values())
                            .filter(m -> m != CheckMetric.TABLE_DEAD_ROWS
                                    && m != CheckMetric.TABLE_LAST_VACUUM
                                    && m != CheckMetric.OLDEST_SNAPSHOT_AGE
                                    && m != CheckMetric.OLDEST_SNAPSHOT_TRANSACTIONS)
                            .toArray(CheckMetric[]::new)),
                    registeredNames());
        }
    }

    @Test
    void everyMeterCarriesItsDocumentedDescription() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir)) {
            publish(database, ChecksScenario.settings(dir, ALERTS), registry);

            for (Meter meter : registry.getMeters()) {
                CheckMetric metric = Stream.of(CheckMetric.values())
                        .filter(m -> m.metricName().equals(meter.getId().getName()))
                        .findFirst()
                        .orElseThrow();
                assertEquals(metric.description(), meter.getId().getDescription(), metric.metricName());
                assertEquals(
                        metric.labels(),
                        meter.getId().getTags().stream().map(t -> t.getKey()).toList(),
                        metric.metricName());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void eachGaugeIsRegisteredOnceAndATablesGaugesNameItsSchema(DatabaseKind kind) throws Exception {
        ch.qos.logback.classic.Logger micrometer =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(MeterRegistry.class);
        try (Database database = ChecksScenario.emptyPrefect(kind, dir);
                LogCapture log = new LogCapture(MeterRegistry.class)) {
            // Micrometer warns of the first gauge registered twice, then tells of the others at DEBUG.
            micrometer.setLevel(Level.DEBUG);
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(dir, ALERTS);
            CheckMetrics metrics = publish(database, settings, registry);
            int meters = registry.getMeters().size();
            update(metrics, database, settings);
            update(metrics, database, settings);

            assertEquals(List.of(), log.lines(), "nothing registered twice");
            assertEquals(meters, registry.getMeters().size());
            String schema = kind == DatabaseKind.SQLITE ? "main" : "public";
            assertEquals(
                    4,
                    registry.get(CheckMetric.TABLE_ROWS.metricName())
                            .tags("schema", schema, "table", "log")
                            .gauge()
                            .value());
        } finally {
            micrometer.setLevel(null);
        }
    }

    @Test
    void aTableWhoseCheckFailedReadsNaNUntilItIsMeasuredAgain() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir)) {
            Settings settings = ChecksScenario.settings(dir, "alerts.flows { table = flow, max-rows = 100 }");
            CheckMetrics metrics = publish(database, settings, registry);
            assertEquals(0, gauge(CheckMetric.TABLE_ROWS, "flow"));

            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                s.execute("ALTER TABLE flow RENAME TO flow_gone");
            }
            update(metrics, database, settings);

            assertEquals(Double.NaN, gauge(CheckMetric.TABLE_ROWS, "flow"));
            assertEquals(Double.NaN, gauge(CheckMetric.TABLE_TOTAL_BYTES, "flow"));
        }
    }

    private static Set<String> names(CheckMetric... metrics) {
        return Stream.of(metrics).map(CheckMetric::metricName).collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> registeredNames() {
        return registry.getMeters().stream()
                .map(m -> m.getId().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
