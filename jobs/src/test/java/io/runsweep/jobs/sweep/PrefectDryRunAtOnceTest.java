package io.runsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A dry run previews as many policies at once as its pool has connections: what it reports is what the same dry
 * run reports one policy at a time, in the same order.
 */
class PrefectDryRunAtOnceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void previewsAtOnceReportWhatPreviewsOneAtATimeDo(DatabaseKind kind) throws Exception {
        // A VACUUM after every policy that deletes a row: what the dry run shows of each depends on the sessions
        // holding snapshots while it looks, and at once the other previews' sessions must not be among them.
        Settings settings = TestSettings.load(dir, "runsweep { preset = prefect, maintenance.vacuum-after-rows = 0 }");
        try (Database database = TestDatabases.open(kind, dir)) {
            try (Connection c = database.connection()) {
                PrefectSchema.create(c, SchemaDialect.of(kind));
                PrefectScenario.seed(new TestRows(c));
                if (kind == DatabaseKind.POSTGRESQL) {
                    quietAutovacuum(c);
                }
            }
            SweepReport one = dryRun(database, 1, settings);
            if (kind == DatabaseKind.POSTGRESQL) {
                assertEquals(
                        List.of(
                                "after policy flow-runs",
                                "after policy task-runs",
                                "after policy logs",
                                "after policy events",
                                "after policy event-resources",
                                // Its only row loses its last artifact to flow-runs: not yet, in a dry run.
                                "after policy orphan-artifacts"),
                        one.maintenance().stream().map(MaintenanceReport::cause).toList());
                assertEquals(
                        List.of(
                                "task_run: deleted 1 row, more than vacuum-after-rows (0)",
                                "log: deleted 1 row, more than vacuum-after-rows (0)",
                                "artifact: deleted 1 row, more than vacuum-after-rows (0)",
                                "task_run_state: deleted 1 row, more than vacuum-after-rows (0)"),
                        one.maintenance().get(1).tables().stream()
                                .map(t -> t.table() + ": " + t.step().reason())
                                .toList());
            }
            assertEquals(
                    PrefectScenario.POLICIES,
                    one.policies().stream().map(PolicyReport::policy).toList());
            assertEquals(6, one.policies().get(0).rows("flow_run"));
            List<String> oneAtATime = described(one);
            List<String> atOnce = described(dryRun(database, 4, settings));
            assertEquals(String.join("\n", oneAtATime), String.join("\n", atOnce));
            assertFalse(String.join("\n", atOnce).contains("holds the snapshot"), String.join("\n", atOnce));
        }
    }

    /**
     * An autovacuum ANALYZE of the rows just seeded holds a snapshot while it samples, and a dry run rightly names it;
     * it must not come and go between the two dry runs compared. Taking each table's lock cancels one under way.
     */
    private static void quietAutovacuum(Connection c) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String table : tables) {
                s.execute("ALTER TABLE " + Identifiers.quote(table) + " SET (autovacuum_enabled = false)");
            }
        }
    }

    private static SweepReport dryRun(Database database, int poolSize, Settings settings) {
        try (Database readOnly = Databases.open(
                database.url(), TestDatabases.options().withReadOnly(true).withPoolSize(poolSize))) {
            return new Sweep(
                            readOnly,
                            TestSettings.runOptions(),
                            Clock.fixed(PrefectScenario.NOW, ZoneOffset.UTC),
                            new StopSignal())
                    .withMaintenance(settings.maintenance())
                    .run(settings.enabledPolicies(), true, PurgeProgress.NONE);
        }
    }

    /** Everything a dry run reports of each policy and each VACUUM after one, but when and how long. */
    private static List<String> described(SweepReport report) {
        Stream<String> policies = report.policies().stream()
                .map(p -> String.join(
                        " | ",
                        p.policy(),
                        p.outcome().toString(),
                        p.error().orElse(""),
                        p.tables().toString(),
                        p.statements().toString(),
                        p.notes().toString()));
        Stream<String> vacuums = report.maintenance().stream()
                .flatMap(m -> m.tables().stream()
                        .map(t -> String.join(
                                " | ",
                                m.cause(),
                                t.table(),
                                t.step().statement(),
                                t.step().reason(),
                                t.step().outcome().toString(),
                                t.step().warnings().toString())));
        return Stream.concat(policies, vacuums).toList();
    }
}
