package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.config.PartitionSettings.OnExpire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionSettingsTest {
    @TempDir
    Path dir;

    @Test
    void aSetTakesWhatItDoesNotSayFromPartitionDefaults() throws Exception {
        Path file = write(
                dir,
                "runsweep.partition-defaults { premake = 2, lock-backoff = 250ms }",
                "runsweep.partitions {",
                "  runs { table = \"public.JobOccurrences\", column = \"CreatedAt\", interval = monthly, retention = 6 }",
                "  events {",
                "    table = events",
                "    column = occurred",
                "    interval = daily",
                "    retention = 30",
                "    premake = 7",
                "    on-expire = archive",
                "    archive-schema = old_events",
                "    lock-attempts = 2",
                "    schedule = \"0 0 1 * * ?\"",
                "  }",
                "}");

        Map<String, PartitionSettings> sets = load(file).partitions();

        assertEquals(List.of("runs", "events"), List.copyOf(sets.keySet()));
        assertEquals(
                new PartitionSettings(
                        "runs",
                        "public.JobOccurrences",
                        "CreatedAt",
                        Interval.MONTHLY,
                        2,
                        6,
                        OnExpire.DROP,
                        "archive",
                        5,
                        Duration.ofMillis(250),
                        true,
                        "0 5 0 * * ?",
                        file + ": 3"),
                sets.get("runs"));
        assertEquals(
                new PartitionSettings(
                        "events",
                        "events",
                        "occurred",
                        Interval.DAILY,
                        7,
                        30,
                        OnExpire.ARCHIVE,
                        "old_events",
                        2,
                        Duration.ofMillis(250),
                        true,
                        "0 0 1 * * ?",
                        file + ": 4"),
                sets.get("events"));
    }

    @Test
    void everyBadValueIsReportedWithItsLine() {
        String longName = "t".repeat(53);
        Path file = write(
                dir,
                "runsweep.partitions {",
                "  a {",
                "    table = \"x; drop\"",
                "    column = \"Created At\"",
                "    interval = hourly",
                "    retention = 6 fortnights",
                "    premake = 0",
                "    on-expire = truncate",
                "    archive-schema = a.b",
                "    lock-attempts = 0",
                "    lock-backoff = 10",
                "    premak = 3",
                "  }",
                "  b { table = " + longName + ", column = c, interval = weekly, retention = 0 }",
                "  c { interval = monthly }",
                "  d { table = events, column = c, interval = daily, retention = 1 }",
                "  e { table = events, column = c, interval = daily, retention = 1 }",
                "}");

        List<String> problems =
                assertThrows(SettingsException.class, () -> load(file)).problems();

        assertEquals(
                List.of(
                        file + ": 3: runsweep.partitions.a.table: not a valid identifier: 'x; drop'",
                        file + ": 4: runsweep.partitions.a.column: not a valid identifier: 'Created At'",
                        file
                                + ": 5: runsweep.partitions.a.interval: expected one of daily, weekly, monthly, got 'hourly'",
                        file
                                + ": 6: runsweep.partitions.a.retention: expected a whole number of intervals (6 with interval = monthly"
                                + " keeps six months before the current one) or an age such as \"3 months\", \"2 weeks\","
                                + " 90d; got '6 fortnights'",
                        file + ": 7: runsweep.partitions.a.premake: must be between 1 and 1000, got 0",
                        file
                                + ": 8: runsweep.partitions.a.on-expire: expected one of drop, detach, archive, got 'truncate'",
                        file + ": 9: runsweep.partitions.a.archive-schema: not a valid identifier: 'a.b'",
                        file + ": 10: runsweep.partitions.a.lock-attempts: must be between 1 and 100, got 0",
                        file + ": 11: runsweep.partitions.a.lock-backoff: needs a unit, e.g. 30d, 12h, 10s; got 10",
                        file + ": 12: unknown key 'runsweep.partitions.a.premak' (did you mean 'premake'?)",
                        file + ": 14: runsweep.partitions.b.table: name too long for its partitions' names ('"
                                + longName + "' + '_yyyy_mm_dd' is more than 63 characters)",
                        file + ": 14: runsweep.partitions.b.retention: must be between 1 and 100000, got 0",
                        file + ": 15: runsweep.partitions.c: missing required key 'table'",
                        file + ": 15: runsweep.partitions.c: missing required key 'column'",
                        file + ": 15: runsweep.partitions.c: missing required key 'retention'",
                        file
                                + ": 17: runsweep.partitions.e.table: table 'events' is already managed by partition set 'd';"
                                + " one set per table"),
                problems);
    }

    @Test
    void theLongestTableNameWhosePartitionNamesStillFitIsAccepted() throws Exception {
        String monthly = "m".repeat(55);
        Path file = write(
                dir,
                "runsweep.partitions.p { table = " + monthly + ", column = c, interval = monthly,"
                        + " retention = 1 }");

        assertEquals(monthly, load(file).partitions().get("p").table());
    }

    @Test
    void effectiveConfigurationShowsEachSetWithItsDefaultsAndLoadsBackTheSame() throws Exception {
        Path file = write(
                dir,
                "runsweep.partitions.runs { table = \"JobOccurrences\", column = \"CreatedAt\", interval = weekly,"
                        + " retention = 8, on-expire = detach }");
        Settings original = load(file);

        String rendered = SettingsLoader.renderEffective(original);
        Settings reloaded = load(Files.writeString(dir.resolve("effective.conf"), rendered));

        assertTrue(
                rendered.contains(String.join(
                        "\n",
                        "  partitions {",
                        "    # " + file + ": 1",
                        "    runs {",
                        "      table = \"JobOccurrences\"",
                        "      column = \"CreatedAt\"",
                        "      interval = weekly",
                        "      retention = 8",
                        "      premake = 3",
                        "      on-expire = detach",
                        "      archive-schema = \"archive\"",
                        "      lock-attempts = 5",
                        "      lock-backoff = 1s",
                        "      enabled = true",
                        "      schedule = \"0 5 0 * * ?\"",
                        "    }",
                        "  }",
                        "")),
                rendered);
        PartitionSettings before = original.partitions().get("runs");
        PartitionSettings after = reloaded.partitions().get("runs");
        assertEquals(
                before,
                new PartitionSettings(
                        after.name(),
                        after.table(),
                        after.column(),
                        after.interval(),
                        after.premake(),
                        after.retention(),
                        after.onExpire(),
                        after.archiveSchema(),
                        after.lockAttempts(),
                        after.lockBackoff(),
                        after.enabled(),
                        after.schedule(),
                        before.location()));
    }

    @Test
    void noPartitionSetsRenderNoPartitionsBlock() throws Exception {
        String rendered = SettingsLoader.renderEffective(load(write(dir, "runsweep.preset = prefect")));

        assertEquals(false, rendered.contains("partitions"), rendered);
    }

    @Test
    void retentionIsACountOfIntervalsOrAnAgeAsPgPartmanWritesIt() throws Exception {
        Path file = write(
                dir,
                "runsweep.partitions {",
                "  months { table = a, column = c, interval = daily, retention = \"3 months\" }",
                "  weeks { table = b, column = c, interval = daily, retention = \"2 weeks\" }",
                "  days { table = c, column = c, interval = daily, retention = 90d }",
                "  hours { table = d, column = c, interval = daily, retention = 36h }",
                "  count { table = e, column = c, interval = daily, retention = 6 }",
                "}");

        Map<String, PartitionSettings> sets = load(file).partitions();

        Instant now = Instant.parse("2026-05-31T12:00:00Z");
        assertEquals(
                Instant.parse("2026-02-28T12:00:00Z"),
                ((PartitionSettings.Retention.Age) sets.get("months").retention()).before(now));
        assertEquals(
                Instant.parse("2026-05-17T12:00:00Z"),
                ((PartitionSettings.Retention.Age) sets.get("weeks").retention()).before(now));
        assertEquals(
                Instant.parse("2026-03-02T12:00:00Z"),
                ((PartitionSettings.Retention.Age) sets.get("days").retention()).before(now));
        assertEquals(
                Instant.parse("2026-05-30T00:00:00Z"),
                ((PartitionSettings.Retention.Age) sets.get("hours").retention()).before(now));
        assertEquals(
                new PartitionSettings.Retention.Intervals(6), sets.get("count").retention());
        String shown = SettingsLoader.renderEffective(load(file));
        assertTrue(shown.contains("      retention = \"3 months\"\n"), shown);
        assertTrue(shown.contains("      retention = 6\n"), shown);
    }
}
