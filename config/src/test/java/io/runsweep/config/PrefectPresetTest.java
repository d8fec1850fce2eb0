package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.ANY_CRON;
import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PolicySettings.StatusFilter;
import io.runsweep.config.PolicySettings.TableColumn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefectPresetTest {
    private static final String PRESET = "presets/prefect.conf";
    private static final Optional<StatusFilter> TERMINAL =
            Optional.of(new StatusFilter("state_type", List.of("COMPLETED", "FAILED", "CANCELLED", "CRASHED")));
    private static final String HOURLY = "0 0 * * * ?";

    @TempDir
    Path dir;

    static final PolicySettings.RunLimits LIMITS = new PolicySettings.RunLimits(0, Duration.ZERO, 1.0);

    @Test
    void presetHasExactlyItsFivePoliciesInItsOwnOrder() throws Exception {
        Settings settings = load(write(dir, "runsweep.preset = prefect"));

        assertEquals(Optional.of("prefect"), settings.preset());
        assertEquals(
                List.of("flow-runs", "task-runs", "logs", "events", "event-resources"),
                List.copyOf(settings.policies().keySet()));
    }

    @Test
    void presetPoliciesMatchPrefectsSchema() throws Exception {
        Map<String, PolicySettings> p =
                load(write(dir, "runsweep.preset = prefect")).policies();

        assertEquals(
                new PolicySettings(
                        "flow-runs",
                        "flow_run",
                        "end_time",
                        Optional.empty(),
                        Duration.ofDays(90),
                        TERMINAL,
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(new TableColumn("log", "flow_run_id"), new TableColumn("artifact", "flow_run_id")),
                        200,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        "0 15 * * * ?",
                        PRESET + ": 14"),
                p.get("flow-runs"));
        assertEquals(
                new PolicySettings(
                        "task-runs",
                        "task_run",
                        "end_time",
                        Optional.empty(),
                        Duration.ofDays(90),
                        TERMINAL,
                        List.of("flow_run_id"),
                        List.of(),
                        Optional.empty(),
                        List.of(new TableColumn("log", "task_run_id"), new TableColumn("artifact", "task_run_id")),
                        500,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 30"),
                p.get("task-runs"));
        assertEquals(
                new PolicySettings(
                        "logs",
                        "log",
                        "timestamp",
                        Optional.empty(),
                        Duration.ofDays(90),
                        Optional.empty(),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        5000,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 46"),
                p.get("logs"));
        assertEquals(
                new PolicySettings(
                        "events",
                        "events",
                        "occurred",
                        Optional.empty(),
                        Duration.ofDays(7),
                        Optional.empty(),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(new TableColumn("event_resources", "event_id")),
                        1000,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 56"),
                p.get("events"));
        assertEquals(
                new PolicySettings(
                        "event-resources",
                        "event_resources",
                        "occurred",
                        Optional.empty(),
                        Duration.ofDays(7),
                        Optional.empty(),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        5000,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 69"),
                p.get("event-resources"));
    }

    @Test
    void userFileOverridesPresetKeysAndKeepsTheRest() throws Exception {
        Path file = write(
                dir,
                "runsweep {",
                "  preset = prefect",
                "  policies.flow-runs.older-than = 30d",
                "  policies.flow-runs.enabled = false",
                "}");

        Settings settings = load(file);

        PolicySettings flowRuns = settings.policies().get("flow-runs");
        assertEquals(Duration.ofDays(30), flowRuns.olderThan());
        assertEquals(false, flowRuns.enabled());
        assertEquals("flow_run", flowRuns.table());
        assertEquals(200, flowRuns.batchSize());
        assertEquals(file + ": 3", flowRuns.location());
        assertEquals(
                List.of("task-runs", "logs", "events", "event-resources"),
                settings.enabledPolicies().stream().map(PolicySettings::name).toList());
    }

    @Test
    void policyDefaultsApplyToPoliciesThatDoNotSetTheKey() throws Exception {
        Path file = write(
                dir,
                "runsweep.preset = prefect",
                "runsweep.policy-defaults { enabled = false, batch-size = 50, schedule = \"0 30 2 * * ?\" }",
                "runsweep.policies.mine { table = t, time-column = c, older-than = 1d, enabled = true }");

        Settings settings = load(file);

        assertEquals(
                List.of("mine"),
                settings.enabledPolicies().stream().map(PolicySettings::name).toList());
        assertEquals(
                List.of(200, 500, 5000, 1000, 5000, 50),
                settings.policies().values().stream()
                        .map(PolicySettings::batchSize)
                        .toList());
        assertEquals(
                List.of("0 15 * * * ?", "0 30 2 * * ?", "0 30 2 * * ?", "0 30 2 * * ?", "0 30 2 * * ?", "0 30 2 * * ?"),
                settings.policies().values().stream()
                        .map(PolicySettings::schedule)
                        .toList());
    }

    @Test
    void nullRemovesAPresetPolicyAndOwnPoliciesFollowThePresets() throws Exception {
        Path file = write(
                dir,
                "runsweep.preset = prefect",
                "runsweep.policies {",
                "  events = null",
                "  zz-first { table = a, time-column = t, older-than = 1d }",
                "  aa-second { table = b, time-column = t, older-than = 1d }",
                "}");

        assertEquals(
                List.of("flow-runs", "task-runs", "logs", "event-resources", "zz-first", "aa-second"),
                List.copyOf(load(file).policies().keySet()));
    }

    @Test
    void presetCanComeFromTheEnvironmentWithoutAFile() throws Exception {
        Settings settings = SettingsLoader.load(Optional.empty(), Map.of("RUNSWEEP_PRESET", "prefect"), ANY_CRON);

        assertEquals(Optional.empty(), settings.source());
        assertEquals(Optional.of("prefect"), settings.preset());
        assertEquals(5, settings.policies().size());
    }

    @Test
    void theFilesPresetWinsOverTheEnvironments() throws Exception {
        Settings settings = load(write(dir, "runsweep.preset = \"\""), Map.of("RUNSWEEP_PRESET", "prefect"));

        assertEquals(Optional.empty(), settings.preset());
        assertEquals(Map.of(), settings.policies());
    }
}
