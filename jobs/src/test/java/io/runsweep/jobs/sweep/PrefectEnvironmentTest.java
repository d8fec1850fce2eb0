package io.runsweep.jobs.sweep;

import static io.runsweep.sql.testing.TestRows.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prefect's own retention variables in Runsweep's environment change what the Prefect preset plans and
 * deletes: the runs' period, the events' period, and a shorter period for heartbeats.
 */
class PrefectEnvironmentTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Map<String, String> PREFECT = Map.of(
            "RUNSWEEP_PRESET", "prefect",
            "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD", "2592000",
            "PREFECT_SERVER_EVENTS_RETENTION_PERIOD", "P14D",
            "PREFECT_SERVER_SERVICES_DB_VACUUM_EVENT_RETENTION_OVERRIDES", "{\"prefect.flow-run.heartbeat\": 86400}");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void prefectsVariablesSetTheCutoffsAndHeartbeatsGoSooner(DatabaseKind kind) throws Exception {
        Settings withPrefects = SettingsLoader.load(Optional.empty(), PREFECT, c -> Optional.empty());
        Settings without =
                SettingsLoader.load(Optional.empty(), Map.of("RUNSWEEP_PRESET", "prefect"), c -> Optional.empty());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Database database = TestDatabases.open(kind, dir)) {
            try (Connection c = database.connection()) {
                PrefectSchema.create(c, SchemaDialect.of(kind));
                seed(new TestRows(c));
            }
            SweepReport before;
            SweepReport plan;
            try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
                before = new Sweep(readOnly, TestSettings.runOptions(), clock, new StopSignal())
                        .run(without.enabledPolicies(), true, PurgeProgress.NONE);
                plan = new Sweep(readOnly, TestSettings.runOptions(), clock, new StopSignal())
                        .run(withPrefects.enabledPolicies(), true, PurgeProgress.NONE);
            }

            assertEquals(
                    NOW.minus(Duration.ofDays(90)),
                    policy(before, "flow-runs").cutoff().orElseThrow());
            assertEquals(0, policy(before, "flow-runs").rows("flow_run"));
            assertEquals(3, policy(before, "events").rows("events"));
            assertEquals(
                    List.of(
                            "flow-runs",
                            "task-runs",
                            "logs",
                            "events[prefect.flow-run.heartbeat]",
                            "events",
                            "event-resources",
                            "orphan-artifacts",
                            "orphan-collections"),
                    plan.policies().stream().map(PolicyReport::policy).toList());
            assertEquals(
                    NOW.minus(Duration.ofDays(30)),
                    policy(plan, "flow-runs").cutoff().orElseThrow());
            assertEquals(1, policy(plan, "flow-runs").rows("flow_run"));
            PolicyReport heartbeats = policy(plan, "events[prefect.flow-run.heartbeat]");
            assertEquals(NOW.minus(Duration.ofDays(1)), heartbeats.cutoff().orElseThrow());
            assertEquals(2, heartbeats.rows("events"));
            assertEquals(2, heartbeats.rows("event_resources"));
            assertEquals(
                    NOW.minus(Duration.ofDays(14)),
                    policy(plan, "events").cutoff().orElseThrow());
            assertEquals(2, policy(plan, "events").rows("events"));

            SweepReport sweep = new Sweep(database, TestSettings.runOptions(), clock, new StopSignal())
                    .run(withPrefects.enabledPolicies(), false, PurgeProgress.NONE);

            assertEquals(false, sweep.anyFailed(), sweep.toString());
            try (Connection c = database.connection()) {
                TestRows rows = new TestRows(c);
                assertEquals(ids(uuid(12)), rows.ids("flow_run"));
                // The heartbeat of 12 hours ago stays, and so does the other event of 2 days ago.
                assertEquals(ids(uuid(21), uuid(24)), rows.ids("events"));
                assertEquals(ids(uuid(31), uuid(34)), rows.ids("event_resources"));
            }
        }
    }

    private static PolicyReport policy(SweepReport report, String name) {
        return report.policies().stream()
                .filter(p -> p.policy().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static TreeSet<String> ids(String... ids) {
        return new TreeSet<>(Set.of(ids));
    }

    private static void seed(TestRows rows) throws Exception {
        rows.insert("flow", "id", uuid(1), "name", "etl");
        PrefectScenario.flowRun(rows, uuid(11), "COMPLETED", NOW.minus(Duration.ofDays(40)), null);
        PrefectScenario.flowRun(rows, uuid(12), "COMPLETED", NOW.minus(Duration.ofDays(20)), null);
        String heartbeat = "prefect.flow-run.heartbeat";
        PrefectScenario.event(rows, uuid(21), heartbeat, NOW.minus(Duration.ofHours(12)));
        PrefectScenario.event(rows, uuid(22), heartbeat, NOW.minus(Duration.ofDays(2)));
        PrefectScenario.event(rows, uuid(23), heartbeat, NOW.minus(Duration.ofDays(10)));
        PrefectScenario.event(rows, uuid(24), "prefect.flow-run.Completed", NOW.minus(Duration.ofDays(2)));
        PrefectScenario.event(rows, uuid(25), "prefect.flow-run.Completed", NOW.minus(Duration.ofDays(20)));
        PrefectScenario.event(rows, uuid(26), "prefect.flow-run.Completed", NOW.minus(Duration.ofDays(100)));
        for (int i = 1; i <= 6; i++) {
            rows.insert(
                    "event_resources",
                    "id",
                    uuid(30 + i),
                    "occurred",
                    NOW.minus(Duration.ofDays(i == 1 ? 0 : i == 4 ? 2 : 1)),
                    "resource_id",
                    "r",
                    "resource_role",
                    "related",
                    "resource",
                    "{}",
                    "event_id",
                    uuid(20 + i));
        }
    }
}
