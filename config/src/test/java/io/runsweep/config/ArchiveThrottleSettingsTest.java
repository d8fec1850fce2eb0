package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive of policies, retention overrides, orphans, throttling and confirm-above, as a user writes them. */
class ArchiveThrottleSettingsTest {
    @TempDir
    Path dir;

    @Test
    void archiveKeysComeFromPolicyDefaultsOneByOne() throws Exception {
        Path file = write(
                dir,
                "runsweep {",
                "  policy-defaults.archive { schema = runsweep_archive, keep = 365d }",
                "  policies {",
                "    a { table = t, time-column = c, older-than = 1d }",
                "    b { table = t, time-column = c, older-than = 1d, archive { directory = \"/var/archive\" } }",
                "    c { table = t, time-column = c, older-than = 1d, archive { schema = \"\", keep = 0s } }",
                "  }",
                "}");

        Map<String, PolicySettings> p = load(file).policies();

        assertEquals(
                new ArchiveSettings(Optional.of("runsweep_archive"), Optional.empty(), Duration.ofDays(365)),
                p.get("a").archive());
        assertEquals(
                new ArchiveSettings(
                        Optional.of("runsweep_archive"), Optional.of(Path.of("/var/archive")), Duration.ofDays(365)),
                p.get("b").archive());
        assertEquals(ArchiveSettings.NONE, p.get("c").archive());
        assertFalse(p.get("c").archive().enabled());
    }

    @Test
    void badArchiveOverrideAndOrphanKeysAreReportedWithTheirLines() {
        Path file = write(
                dir,
                "runsweep.policies {",
                "  a { table = t, time-column = c, older-than = 1d, archive { schema = public } }",
                "  b { table = t, time-column = c, older-than = 1d, archive { schema = \"x;y\", keep = 3 } }",
                "  c { table = t, time-column = c, older-than = 1d, archive { shema = s } }",
                "  d { table = t, time-column = c, older-than = 7d, retention-overrides { hb = 1d } }",
                "  e { table = t, time-column = c, older-than = 7d, override-column = kind,",
                "      statuses { column = s, values = [x] }, retention-overrides { hb = 1d } }",
                "  f { table = t, time-column = c, older-than = 7d, override-column = kind,",
                "      retention-overrides { hb = soon } }",
                "  g { table = t, time-column = c, older-than = 1d, missing-parent = [{column = p, table = q, ky = id}] }",
                "}");

        List<String> problems =
                assertThrows(SettingsException.class, () -> load(file)).problems();

        assertEquals(
                List.of(
                        file + ": 2: runsweep.policies.a.archive.schema: 'public' holds the tables rows are deleted"
                                + " from; name a schema of their own, e.g. runsweep_archive",
                        file + ": 3: runsweep.policies.b.archive.schema: not a valid identifier: 'x;y'",
                        file + ": 3: runsweep.policies.b.archive.keep: needs a unit, e.g. 30d, 12h, 10s; got 3",
                        file + ": 4: unknown key 'runsweep.policies.c.archive.shema' (did you mean 'schema'?)",
                        file + ": 5: runsweep.policies.d.retention-overrides: needs override-column: the column"
                                + " whose values are listed (Prefect's events: event)",
                        file + ": 7: runsweep.policies.e.retention-overrides: cannot be combined with statuses:"
                                + " an override selects rows by its own column's value",
                        file + ": 9: runsweep.policies.f.retention-overrides.hb: expected a duration such as 30d,"
                                + " 12h, 10s; got 'soon'",
                        file + ": 10: unknown key 'runsweep.policies.g.missing-parent[0].ky' (did you mean 'key'?)",
                        file + ": 10: runsweep.policies.g.missing-parent[0]: missing required key 'key'"),
                problems);
    }

    @Test
    void overridesShorterThanThePolicyBecomePoliciesOfTheirOwnThatRunFirst() throws Exception {
        Path file = write(
                dir,
                "runsweep.policies.events {",
                "  table = events, time-column = occurred, older-than = 7d, override-column = event",
                "  retention-overrides { \"prefect.flow-run.heartbeat\" = 1d, \"rare.event\" = 30d }",
                "}");

        PolicySettings events = load(file).policies().get("events");
        List<PolicySettings> runs = events.withOverridesExpanded();

        assertEquals(
                List.of("events[prefect.flow-run.heartbeat]", "events"),
                runs.stream().map(PolicySettings::name).toList());
        assertEquals(Duration.ofDays(1), runs.get(0).olderThan());
        assertEquals(
                Optional.of(new PolicySettings.StatusFilter("event", List.of("prefect.flow-run.heartbeat"))),
                runs.get(0).statuses());
        assertTrue(runs.get(0).overrides().isEmpty());
        assertTrue(SettingsLoader.renderEffective(load(file))
                .contains("        \"rare.event\" = 30d  # not shorter than older-than: no effect\n"));
    }

    @Test
    void throttleAndConfirmAboveAreReadAndReplicaPasswordsMasked() throws Exception {
        Path file = write(
                dir,
                "runsweep {",
                "  throttle {",
                "    max-replica-lag = 30s",
                "    replica-urls = [\"postgresql://app:s3cret@replica:5432/prefect\"]",
                "    max-lock-waiters = 0",
                "    max-wait = 10m",
                "  }",
                "  confirm-above = 500",
                "}");

        Settings settings = load(file);

        assertEquals(
                new ThrottleSettings(
                        Optional.of(Duration.ofSeconds(30)),
                        List.of("postgresql://app:s3cret@replica:5432/prefect"),
                        Optional.of(0),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(10)),
                settings.throttle());
        assertEquals(500, settings.confirmAbove());
        String shown = SettingsLoader.renderEffective(settings);
        assertFalse(shown.contains("s3cret"), shown);
        assertFalse(settings.throttle().toString().contains("s3cret"));
        assertTrue(shown.contains("    replica-urls = [\"postgresql://app:****@replica:5432/prefect\"]\n"), shown);
        assertEquals(ThrottleSettings.OFF, SettingsLoader.defaults().throttle());
        assertEquals(100_000, SettingsLoader.defaults().confirmAbove());
    }

    @Test
    void replicasWithoutALagToWatchForAreAProblem() {
        Path file = write(dir, "runsweep.throttle.replica-urls = [\"jdbc:postgresql://replica/db\"]");

        List<String> problems =
                assertThrows(SettingsException.class, () -> load(file)).problems();

        assertEquals(
                List.of(file + ": 1: runsweep.throttle.replica-urls: replicas are listed but max-replica-lag is 0s"
                        + " (not watched): set max-replica-lag, e.g. 30s"),
                problems);
    }
}
