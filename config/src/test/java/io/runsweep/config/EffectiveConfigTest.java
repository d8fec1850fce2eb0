package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffectiveConfigTest {
    @TempDir
    Path dir;

    @Test
    void rendersEveryEffectiveValueWithDefaultsFilledIn() throws Exception {
        Path file = write(
                dir,
                "runsweep {",
                "  database.url = \"jdbc:sqlite:/data/milvaion.db\"",
                "  policies.completed-occurrences {",
                "    table = \"JobOccurrences\"",
                "    time-column = \"EndTime\"",
                "    older-than = 36h",
                "    statuses { column = \"Status\", values = [2, Done] }",
                "    where-null = [ParentId]",
                "    key-column = \"Id\"",
                "    dependents = [ {table = \"JobLogs\", column = \"OccurrenceId\"} ]",
                "  }",
                "}");

        String rendered = SettingsLoader.renderEffective(load(file));

        assertEquals(
                String.join(
                        "\n",
                        "# Effective configuration: " + file
                                + " over no preset over reference.conf. Passwords are masked.",
                        "runsweep {",
                        "  preset = \"\"",
                        "  database {",
                        "    url = \"jdbc:sqlite:/data/milvaion.db\"",
                        "    user = \"\"",
                        "    password = \"\"",
                        "    pool-size = 2",
                        "    connect-timeout = 10s",
                        "    lock-timeout = 2s",
                        "    busy-timeout = 5s",
                        "    statement-timeout = 5m",
                        "    idle-in-transaction-timeout = 10s",
                        "  }",
                        "  batch {",
                        "    target-duration = 200ms",
                        "    pause = 0s",
                        "    min-size = 100",
                        "    max-size = 250000",
                        "    retries = 5",
                        "    retry-backoff = 200ms",
                        "    compress-wal = true",
                        "  }",
                        "  throttle {",
                        "    max-replica-lag = 0s",
                        "    replica-urls = []",
                        "    max-lock-waiters = -1",
                        "    interval = 1s",
                        "    max-wait = 0s",
                        "  }",
                        "  confirm-above = 100000",
                        "  maintenance {",
                        "    vacuum-after-rows = 10000",
                        "    vacuum-dead-fraction = 0.2",
                        "    analyze-schedule = \"0 30 3 * * ?\"",
                        "    vacuum-full-tables = []",
                        "    vacuum-full-unchecked-disk = false",
                        "    sqlite.full-vacuum = false",
                        "  }",
                        "  review {",
                        "    index-name = \"ix_{table}__{column}\"",
                        "    scheduler-indexes = []",
                        "  }",
                        "  policies {",
                        "    # " + file + ": 3",
                        "    completed-occurrences {",
                        "      table = \"JobOccurrences\"",
                        "      time-column = \"EndTime\"",
                        "      older-than = 36h",
                        "      statuses { column = \"Status\", values = [2, \"Done\"] }",
                        "      where-null = [\"ParentId\"]",
                        "      key-column = \"Id\"",
                        "      dependents = [{ table = \"JobLogs\", column = \"OccurrenceId\" }]",
                        "      batch-size = 1000",
                        "      max-rows = 0",
                        "      max-runtime = 0s",
                        "      max-fraction = 1.0",
                        "      strategy = \"auto\"",
                        "      enabled = true",
                        "      schedule = \"0 0 * * * ?\"",
                        "      archive { schema = \"\", directory = \"\", keep = 0s }",
                        "    }",
                        "  }",
                        "  checks {",
                        "    exact-counts = false",
                        "    schedule = \"0 */5 * * * ?\"",
                        "    stuck {",
                        "    }",
                        "  }",
                        "  alerts {",
                        "    webhook {",
                        "      url = \"\"",
                        "    }",
                        "  }",
                        "  http { enabled = true, host = \"0.0.0.0\", port = 9464, read-timeout = 10s, write-timeout = 10s,"
                                + " max-connections = 128 }",
                        "  daemon {",
                        "    threads = 2",
                        "    shutdown-timeout = 30s",
                        "    health-interval = 10s",
                        "    health-timeout = 2s",
                        "  }",
                        "  log.format = text",
                        "}",
                        ""),
                rendered);
    }

    @Test
    void masksThePasswordAndThePasswordInsideTheUrl() throws Exception {
        Path file = write(
                dir,
                "runsweep.database.url = \"postgresql+asyncpg://prefect:s3cret@db:5432/prefect\"",
                "runsweep.database.password = ${?RUNSWEEP_DATABASE_PASSWORD}");

        String rendered = SettingsLoader.renderEffective(load(file, Map.of("RUNSWEEP_DATABASE_PASSWORD", "hunter2")));

        assertFalse(rendered.contains("s3cret"), rendered);
        assertFalse(rendered.contains("hunter2"), rendered);
        assertTrue(rendered.contains("    url = \"postgresql+asyncpg://prefect:****@db:5432/prefect\"\n"), rendered);
        assertTrue(rendered.contains("    password = \"****\"\n"), rendered);
    }

    @Test
    void masksPasswordParametersOfJdbcUrls() throws Exception {
        Path file = write(dir, "runsweep.database.url = \"jdbc:postgresql://db/prefect?user=prefect&password=s3cret\"");

        String rendered = SettingsLoader.renderEffective(load(file));

        assertFalse(rendered.contains("s3cret"), rendered);
        assertTrue(
                rendered.contains("    url = \"jdbc:postgresql://db/prefect?user=prefect&password=****\"\n"), rendered);
    }

    @Test
    void renderedPresetLoadsBackToTheSamePolicies() throws Exception {
        Settings original = load(write(
                dir,
                "runsweep.preset = prefect",
                "runsweep.policies.logs.older-than = 1500ms",
                "runsweep.policies.events = null"));
        Path again = Files.writeString(dir.resolve("effective.conf"), SettingsLoader.renderEffective(original));

        Settings reloaded = load(again);

        assertEquals(
                List.of("flow-runs", "task-runs", "logs", "event-resources", "orphan-artifacts", "orphan-collections"),
                List.copyOf(reloaded.policies().keySet()));
        assertEquals(withoutLocations(original), withoutLocations(reloaded));
        assertEquals(Duration.ofMillis(1500), reloaded.policies().get("logs").olderThan());
        assertEquals(original.database(), reloaded.database());
        assertEquals(List.of("flow-runs"), List.copyOf(reloaded.checks().stuck().keySet()));
        assertEquals(
                withoutLocation(original.checks().stuck().get("flow-runs")),
                withoutLocation(reloaded.checks().stuck().get("flow-runs")));
        assertEquals(original.daemon(), reloaded.daemon());
    }

    private static CheckSettings.StuckSettings withoutLocation(CheckSettings.StuckSettings s) {
        return new CheckSettings.StuckSettings(
                s.name(),
                s.table(),
                s.statusColumn(),
                s.statuses(),
                s.timeColumn(),
                s.timeColumnFallback(),
                s.olderThan(),
                "");
    }

    @Test
    void durationsUseTheLargestExactUnit() {
        assertEquals("90d", EffectiveConfig.duration(Duration.ofDays(90)));
        assertEquals("36h", EffectiveConfig.duration(Duration.ofHours(36)));
        assertEquals("90s", EffectiveConfig.duration(Duration.ofSeconds(90)));
        assertEquals("1500ms", EffectiveConfig.duration(Duration.ofMillis(1500)));
        assertEquals("0s", EffectiveConfig.duration(Duration.ZERO));
    }

    private static List<PolicySettings> withoutLocations(Settings s) {
        return s.policies().values().stream()
                .map(p -> new PolicySettings(
                        p.name(),
                        p.table(),
                        p.timeColumn(),
                        p.timeColumnFallback(),
                        p.olderThan(),
                        p.statuses(),
                        p.whereNull(),
                        p.unreferencedBy(),
                        p.keyColumn(),
                        p.dependents(),
                        p.batchSize(),
                        p.limits(),
                        p.strategy(),
                        p.enabled(),
                        p.schedule(),
                        "",
                        p.archive(),
                        p.overrides(),
                        p.missingParents()))
                .toList();
    }
}
