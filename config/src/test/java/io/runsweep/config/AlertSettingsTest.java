package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.ANY_CRON;
import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.AlertSettings.Alert;
import io.runsweep.config.AlertSettings.Kind;
import io.runsweep.config.CheckSettings.StuckSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runsweep.checks and runsweep.alerts: typed values, every mistake with its file and line, secrets masked. */
class AlertSettingsTest {
    private static final String SECRET_PATH = "/services/T0001/B0002/s3cr3tT0ken";

    @TempDir
    Path dir;

    private List<String> problems(Path file) {
        return assertThrows(SettingsException.class, () -> SettingsLoader.load(Optional.of(file), Map.of(), ANY_CRON))
                .problems();
    }

    @Test
    void everyKindOfAlertIsReadInFileOrderWithItsThresholdInBaseUnits() throws Exception {
        Path file = write(
                dir,
                "runsweep {",
                "  preset = prefect",
                "  checks.exact-counts = true",
                "  alerts {",
                "    log-too-big { table = log, max-total-size = 5GB }",
                "    runs { table = \"public.flow_run\", max-rows = 10000000000 }",
                "    bloat { table = flow_run, max-dead-fraction = 0.2 }",
                "    late { policy = flow-runs, max-oldest-age = 100d }",
                "    stuck-runs { stuck = flow-runs, max-stuck = 0 }",
                "    sweep-health { job = logs, max-time-since-success = 2h }",
                "    in-binary { table = log, max-total-size = 2GiB }",
                "  }",
                "}");

        Settings settings = load(file);

        assertTrue(settings.checks().exactCounts());
        assertEquals(
                List.of(
                        new Alert("log-too-big", Kind.TOTAL_SIZE, "log", 5e9, file + ": 5"),
                        new Alert("runs", Kind.ROWS, "public.flow_run", 1e10, file + ": 6"),
                        new Alert("bloat", Kind.DEAD_FRACTION, "flow_run", 0.2, file + ": 7"),
                        new Alert("late", Kind.OLDEST_AGE, "flow-runs", 100 * 86400, file + ": 8"),
                        new Alert("stuck-runs", Kind.STUCK, "flow-runs", 0, file + ": 9"),
                        new Alert("sweep-health", Kind.TIME_SINCE_SUCCESS, "logs", 7200, file + ": 10"),
                        new Alert("in-binary", Kind.TOTAL_SIZE, "log", 2L << 30, file + ": 11")),
                settings.alerts().alerts());
        assertEquals(Optional.empty(), settings.alerts().webhook());
    }

    @Test
    void defaultsHaveNoAlertsNoStuckChecksAndEstimatedCountsEveryFiveMinutes() throws Exception {
        Settings settings = SettingsLoader.load(Optional.empty(), Map.of(), ANY_CRON);

        assertEquals(new CheckSettings(false, "0 */5 * * * ?", Map.of()), settings.checks());
        assertEquals(new AlertSettings(List.of(), Optional.empty()), settings.alerts());
    }

    @Test
    void prefectPresetCountsFlowRunsRunningOrPendingForADay() throws Exception {
        Settings settings = load(write(dir, "runsweep.preset = prefect"));

        assertEquals(
                Map.of(
                        "flow-runs",
                        new StuckSettings(
                                "flow-runs",
                                "flow_run",
                                "state_type",
                                List.of("RUNNING", "PENDING"),
                                "start_time",
                                Optional.of("expected_start_time"),
                                Duration.ofHours(24),
                                "presets/prefect.conf: 112")),
                settings.checks().stuck());
    }

    @Test
    void userStuckChecksAddToThePresetsAndCanRemoveThem() throws Exception {
        Path file = write(
                dir,
                "runsweep.preset = prefect",
                "runsweep.checks.stuck {",
                "  flow-runs = null",
                "  occurrences {",
                "    table = \"JobOccurrences\", status-column = \"Status\", statuses = [0, 1]",
                "    time-column = \"StartTime\", time-column-fallback = \"CreatedAt\", older-than = 6h",
                "  }",
                "}");

        assertEquals(
                Map.of(
                        "occurrences",
                        new StuckSettings(
                                "occurrences",
                                "JobOccurrences",
                                "Status",
                                List.of(0L, 1L),
                                "StartTime",
                                Optional.of("CreatedAt"),
                                Duration.ofHours(6),
                                file + ": 4")),
                load(file).checks().stuck());
    }

    @Test
    void everyMistakeInAlertsAndChecksIsReportedAtOnceWithItsLine() {
        Path file = write(
                dir,
                "runsweep {",
                "  preset = prefect",
                "  checks {",
                "    exact-counts = sometimes",
                "    stuck.half { table = flow_run, statuses = [], time-column = start_time, older-than = 1 }",
                "    stuck.extra { table = t, status-column = s, statuses = [x], time-column = t, older-than = 1h, colour = red }",
                "  }",
                "  alerts {",
                "    none { table = log }",
                "    two { table = log, max-rows = 5, max-total-size = 1GB }",
                "    size { table = log, max-total-size = lots }",
                "    zero { table = log, max-total-size = 0 }",
                "    frac { table = log, max-dead-fraction = 1.5 }",
                "    neg { table = log, max-rows = -1 }",
                "    nopolicy { policy = purge-all, max-oldest-age = 1d }",
                "    nostuck { stuck = jobs, max-stuck = 1 }",
                "    nojob { job = nightly, max-time-since-success = 1h }",
                "    wrongsubject { table = log, policy = logs, max-oldest-age = 1d }",
                "    nosubject { max-rows = 1 }",
                "    typo { table = log, max-row = 1 }",
                "    \"bad name\" { table = log, max-rows = 1 }",
                "    webhook { url = \"ftp://hooks.example.com" + SECRET_PATH
                        + "\", format = teams, retries = 11, colour = red }",
                "  }",
                "}");

        List<String> problems = problems(file);

        assertEquals(
                List.of(
                        file + ": 4: runsweep.checks.exact-counts: expected true or false, got 'sometimes'",
                        file + ": 5: runsweep.checks.stuck.half: missing required key 'status-column'",
                        file
                                + ": 5: runsweep.checks.stuck.half.statuses: must list at least one value: an empty list would match no row",
                        file + ": 5: runsweep.checks.stuck.half.older-than: needs a unit, e.g. 30d, 12h, 10s; got 1",
                        file + ": 6: unknown key 'runsweep.checks.stuck.extra.colour'",
                        file
                                + ": 9: runsweep.alerts.none: set exactly one of max-total-size, max-rows, max-dead-fraction,"
                                + " max-oldest-age, max-stuck, max-time-since-success",
                        file
                                + ": 10: runsweep.alerts.two: set exactly one of max-total-size, max-rows, max-dead-fraction,"
                                + " max-oldest-age, max-stuck, max-time-since-success; got max-total-size, max-rows",
                        file
                                + ": 11: runsweep.alerts.size.max-total-size: expected a size such as 5GB, 500MB or 2GiB; got 'lots'",
                        file + ": 12: runsweep.alerts.zero.max-total-size: must be more than 0, got 0",
                        file + ": 13: runsweep.alerts.frac.max-dead-fraction: must be between 0.0 and 1.0, got 1.5",
                        file + ": 14: runsweep.alerts.neg.max-rows: must be at least 0, got -1",
                        file
                                + ": 15: runsweep.alerts.nopolicy.policy: no policy named 'purge-all'; configured: event-resources,"
                                + " events, flow-runs, logs, orphan-artifacts, orphan-collections, task-runs",
                        file
                                + ": 16: runsweep.alerts.nostuck.stuck: no stuck check named 'jobs'; configured: extra, flow-runs, half",
                        file
                                + ": 17: runsweep.alerts.nojob.job: no policy named 'nightly'; configured: event-resources, events,"
                                + " flow-runs, logs, orphan-artifacts, orphan-collections, task-runs",
                        file
                                + ": 18: runsweep.alerts.wrongsubject.table: does not apply to max-oldest-age, which watches a policy",
                        file + ": 19: runsweep.alerts.nosubject: missing required key 'table'",
                        file + ": 20: unknown key 'runsweep.alerts.typo.max-row' (did you mean 'max-rows'?)",
                        file
                                + ": 20: runsweep.alerts.typo: set exactly one of max-total-size, max-rows, max-dead-fraction,"
                                + " max-oldest-age, max-stuck, max-time-since-success",
                        file
                                + ": 21: runsweep.alerts.\"bad name\": not a valid alert name: use letters, digits, '-' and '_'",
                        file + ": 22: unknown key 'runsweep.alerts.webhook.colour'",
                        file + ": 22: runsweep.alerts.webhook.url: expected an http:// or https:// URL with a host name"
                                + " (the value is not shown: it may hold a secret)",
                        file + ": 22: runsweep.alerts.webhook.format: expected one of generic, slack, got 'teams'",
                        file + ": 22: runsweep.alerts.webhook.retries: must be between 0 and 10, got 11"),
                problems);
        assertFalse(String.join("\n", problems).contains("s3cr3t"), "a webhook path is a secret");
    }

    @Test
    void webhookIsReadFromTheEnvironmentAndShownOnlyAsItsHost() throws Exception {
        Path file = write(
                dir,
                "runsweep.alerts.webhook { format = slack, timeout = 2s, retries = 1 }",
                "runsweep.alerts.big { table = log, max-total-size = 5GB }");
        String url = "https://hooks.slack.com" + SECRET_PATH;

        Settings settings = load(file, Map.of("RUNSWEEP_ALERTS_WEBHOOK_URL", url));

        WebhookSettings webhook = settings.alerts().webhook().orElseThrow();
        assertEquals(url, webhook.url().reveal());
        assertEquals(WebhookSettings.Format.SLACK, webhook.format());
        assertEquals(Duration.ofSeconds(2), webhook.timeout());
        assertEquals(1, webhook.retries());
        assertEquals("https://hooks.slack.com/****", webhook.maskedUrl());
        assertFalse(webhook.toString().contains("s3cr3t"), webhook.toString());
        String rendered = SettingsLoader.renderEffective(settings);
        assertFalse(rendered.contains("s3cr3t"), rendered);
        assertTrue(
                rendered.contains(String.join(
                        "\n",
                        "  alerts {",
                        "    webhook {",
                        "      url = \"https://hooks.slack.com/****\"",
                        "      format = \"slack\"",
                        "      timeout = 2s",
                        "      retries = 1",
                        "    }",
                        "    # " + file + ": 2",
                        "    big {",
                        "      table = \"log\"",
                        "      max-total-size = 5000000000",
                        "    }",
                        "  }")),
                rendered);
    }

    @Test
    void renderedAlertsLoadBackToTheSameAlerts() throws Exception {
        Settings original = load(write(
                dir,
                "runsweep.preset = prefect",
                "runsweep.checks { exact-counts = true, schedule = \"0 * * * * ?\" }",
                "runsweep.alerts {",
                "  log-too-big { table = log, max-total-size = 1500MB }",
                "  bloat { table = flow_run, max-dead-fraction = 0.25 }",
                "  late { policy = flow-runs, max-oldest-age = 36h }",
                "  stuck-runs { stuck = flow-runs, max-stuck = 3 }",
                "  sweep-health { job = logs, max-time-since-success = 90m }",
                "}"));
        Path again = Files.writeString(dir.resolve("effective.conf"), SettingsLoader.renderEffective(original));

        Settings reloaded = load(again);

        assertEquals(original.checks().exactCounts(), reloaded.checks().exactCounts());
        assertEquals(original.checks().schedule(), reloaded.checks().schedule());
        assertEquals(
                original.alerts().alerts().stream()
                        .map(AlertSettingsTest::withoutLocation)
                        .toList(),
                reloaded.alerts().alerts().stream()
                        .map(AlertSettingsTest::withoutLocation)
                        .toList());
    }

    private static Alert withoutLocation(Alert a) {
        return new Alert(a.name(), a.kind(), a.subject(), a.threshold(), "");
    }
}
