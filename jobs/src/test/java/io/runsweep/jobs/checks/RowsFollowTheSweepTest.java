package io.runsweep.jobs.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.metrics.CheckMetric;
import io.runsweep.jobs.metrics.CheckMetrics;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.PrefectSeeder;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.seed.SeedOptions;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * After a sweep, the rows that the checks report and the metrics export are the rows the tables hold, though the
 * statistics of the last ANALYZE (SQLite's sqlite_stat1, PostgreSQL's reltuples) still count the deleted ones.
 */
class RowsFollowTheSweepTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void reportAndMetricsShowTheRowsLeftAfterASweep(DatabaseKind kind) throws Exception {
        try (Database database = TestDatabases.open(kind, dir)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                PrefectSchema.create(c, SchemaDialect.of(kind));
                new PrefectSeeder(SeedOptions.builder()
                                .flowRuns(600)
                                .days(120)
                                .seed(3)
                                .now(NOW)
                                .build())
                        .seed(c, SchemaDialect.of(kind));
                s.execute("ANALYZE");
            }
            Settings settings =
                    TestSettings.load(dir, "runsweep.preset = prefect", "runsweep.policies.flow-runs.older-than = 30d");
            SweepReport sweep = new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                    .run(settings.enabledPolicies(), false, PurgeProgress.NONE);
            assertFalse(sweep.anyFailed(), sweep.toString());
            assertTrue(sweep.policies().get(0).rows("flow_run") > 100, sweep.toString());

            ChecksReport report = new Checks(database, settings, CLOCK).run();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            CheckMetrics metrics = new CheckMetrics();
            metrics.bindTo(registry);
            metrics.update(report, List.of());

            assertEquals(List.of(), report.problems());
            try (Connection c = database.connection()) {
                TestRows rows = new TestRows(c);
                for (String table : ChecksTest.MANAGED) {
                    TableCheck check = report.table(table).orElseThrow();
                    assertEquals(rows.count(table), check.stats().rows().orElseThrow(), table);
                    assertTrue(check.stats().rowsExact(), table);
                    assertEquals(
                            (double) rows.count(table),
                            registry.get(CheckMetric.TABLE_ROWS.metricName())
                                    .tag("table", table)
                                    .gauge()
                                    .value(),
                            table);
                }
            }
        }
    }
}
