package io.runsweep.jobs.alert;

import static io.runsweep.jobs.checks.ChecksScenario.CLOCK;
import static io.runsweep.jobs.checks.ChecksScenario.NOW;
import static io.runsweep.jobs.checks.ChecksScenario.daysAgo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.checks.Checks;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.checks.ChecksScenario;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.postgresql.PostgresVacuum;
import io.runsweep.sql.testing.LogCapture;
import io.runsweep.sql.testing.MutableClock;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts over real check reports: the states, the one WARN line per change, and what the listener hears. */
class AlertEvaluatorTest {
    static final String[] ALERTS = {
        "alerts {",
        "  log-rows { table = log, max-rows = 3 }",
        "  late { policy = flow-runs, max-oldest-age = 150d }",
        "  stuck-runs { stuck = flow-runs, max-stuck = 1 }",
        "  log-size { table = log, max-total-size = 1kB }",
        "}"
    };

    /** How Prefect stores time on SQLite. */
    static final DateTimeFormatter SQLITE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void alertsFireWhenAboveTheirThresholdAndResolveOnceBelowWithOneWarnLineEach() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir);
                LogCapture log = new LogCapture(AlertEvaluator.class)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(dir, ALERTS);
            List<String> heard = new ArrayList<>();
            AlertEvaluator alerts = new AlertEvaluator(
                    settings.alerts(),
                    job -> Optional.empty(),
                    (state, at) -> heard.add(state.name() + (state.firing() ? " firing at " : " resolved at ") + at),
                    CLOCK);
            Checks checks = new Checks(database, settings, CLOCK);

            ChecksReport before = checks.run();
            List<AlertState> firing = alerts.evaluate(before);
            long logBytes = before.table("log").orElseThrow().stats().totalBytes();
            String logSize = "\"log\" total size " + Formats.bytes(logBytes) + " > 1000 B";
            assertEquals(
                    List.of(
                            new AlertState("log-rows", true, OptionalDouble.of(4), 3, "\"log\" rows 4 > 3"),
                            new AlertState(
                                    "late",
                                    true,
                                    OptionalDouble.of(200 * 86400),
                                    150 * 86400,
                                    "policy flow-runs oldest row age 200d > 150d"),
                            new AlertState(
                                    "stuck-runs", true, OptionalDouble.of(2), 1, "stuck check flow-runs runs 2 > 1"),
                            new AlertState("log-size", true, OptionalDouble.of(logBytes), 1000, logSize)),
                    firing);
            assertEquals(
                    List.of(
                            "WARN alert log-rows firing: \"log\" rows 4 > 3",
                            "WARN alert late firing: policy flow-runs oldest row age 200d > 150d",
                            "WARN alert stuck-runs firing: stuck check flow-runs runs 2 > 1",
                            "WARN alert log-size firing: " + logSize),
                    log.lines());

            assertEquals(firing, alerts.evaluate(checks.run()));
            assertEquals(4, log.lines().size(), "no change, no new line");

            new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                    .run(settings.enabledPolicies(), false, PurgeProgress.NONE);
            finish(database, ChecksScenario.RUNNING_FOR_300_DAYS, daysAgo(1));
            List<AlertState> after = alerts.evaluate(checks.run());

            assertEquals(
                    List.of(false, false, false, true),
                    after.stream().map(AlertState::firing).toList());
            assertEquals(
                    List.of(
                            "WARN alert log-rows resolved: \"log\" rows 2 <= 3",
                            "WARN alert late resolved: policy flow-runs oldest row age 10d <= 150d",
                            "WARN alert stuck-runs resolved: stuck check flow-runs runs 1 <= 1"),
                    log.lines().subList(4, 7));
            assertEquals(7, log.lines().size());
            assertEquals(
                    List.of(
                            "log-rows firing at " + NOW,
                            "late firing at " + NOW,
                            "stuck-runs firing at " + NOW,
                            "log-size firing at " + NOW,
                            "log-rows resolved at " + NOW,
                            "late resolved at " + NOW,
                            "stuck-runs resolved at " + NOW),
                    heard);
        }
    }

    private static void finish(Database database, String flowRun, Instant end) throws Exception {
        try (Connection c = database.connection();
                PreparedStatement s =
                        c.prepareStatement("UPDATE flow_run SET state_type = 'COMPLETED', end_time = ? WHERE id = ?")) {
            s.setString(1, SQLITE_TIME.format(end));
            s.setString(2, flowRun);
            assertEquals(1, s.executeUpdate());
        }
    }

    @Test
    void aValueThatCannotBeMeasuredKeepsTheAlertAsItWasAndSaysWhy() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir);
                LogCapture log = new LogCapture(AlertEvaluator.class)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(dir, ALERTS);
            AlertEvaluator alerts =
                    new AlertEvaluator(settings.alerts(), job -> Optional.empty(), AlertListener.NONE, CLOCK);
            alerts.evaluate(new Checks(database, settings, CLOCK).run());
            ChecksReport unreachable = new ChecksReport(
                    NOW,
                    Duration.ZERO,
                    List.of(),
                    List.of(),
                    List.of(),
                    Optional.empty(),
                    List.of("cannot read the database: SQL State 08001"));

            List<AlertState> states = alerts.evaluate(unreachable);

            assertEquals(
                    new AlertState(
                            "log-rows",
                            true,
                            OptionalDouble.empty(),
                            3,
                            "\"log\" rows unknown: table \"log\" was not measured (see the checks' problems)"),
                    states.get(0));
            assertEquals(
                    new AlertState(
                            "late",
                            true,
                            OptionalDouble.empty(),
                            150 * 86400,
                            "policy flow-runs oldest row age unknown: policy flow-runs was not measured (see the checks' problems)"),
                    states.get(1));
            assertEquals(
                    new AlertState(
                            "stuck-runs",
                            true,
                            OptionalDouble.empty(),
                            1,
                            "stuck check flow-runs runs unknown: stuck check flow-runs was not measured (see the checks' problems)"),
                    states.get(2));
            assertEquals(4, log.lines().size(), "only the four firing lines of the first evaluation");
        }
    }

    @Test
    void deadRowShareIsPostgresOnlyAndFiresAboveItsThreshold(@TempDir Path sqliteDir) throws Exception {
        String[] bloat = {"alerts.bloat { table = flow_run, max-dead-fraction = 0.05 }"};
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                s.execute("ALTER TABLE flow_run SET (autovacuum_enabled = false)");
                ChecksScenario.seed(new TestRows(c));
                s.execute("DELETE FROM flow_run WHERE id = '" + ChecksScenario.COMPLETED_RECENT + "'");
                new PostgresVacuum().flushStatistics(c);
            }
            Settings settings = ChecksScenario.settings(dir, bloat);

            try (LogCapture log = new LogCapture(AlertEvaluator.class)) {
                List<AlertState> states = AlertEvaluator.withoutHistory(settings.alerts(), CLOCK)
                        .evaluate(new Checks(database, settings, CLOCK).run());

                assertEquals(
                        List.of(new AlertState(
                                "bloat", true, OptionalDouble.of(0.1), 0.05, "\"flow_run\" dead rows 10.0% > 5.0%")),
                        states);
                assertEquals(List.of(), log.lines(), "a one-shot report prints its states; it logs no changes");
            }
        }
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, sqliteDir)) {
            Settings settings = ChecksScenario.settings(dir, bloat);

            List<AlertState> states = AlertEvaluator.withoutHistory(settings.alerts(), CLOCK)
                    .evaluate(new Checks(database, settings, CLOCK).run());

            assertEquals(
                    List.of(new AlertState(
                            "bloat",
                            false,
                            OptionalDouble.empty(),
                            0.05,
                            "\"flow_run\" dead rows unknown: only PostgreSQL keeps dead-row statistics")),
                    states);
        }
    }

    @Test
    void jobHealthCountsFromTheLastSuccessOrFromTheStartWhenThereWasNone() throws Exception {
        Settings settings =
                ChecksScenario.settings(dir, "alerts.sweep-health { job = logs, max-time-since-success = 2h }");
        MutableClock clock = new MutableClock(NOW);
        List<Instant> successes = new ArrayList<>();
        JobSuccesses history = job -> job.equals("logs") && !successes.isEmpty()
                ? Optional.of(successes.get(successes.size() - 1))
                : Optional.empty();
        ChecksReport noChecks =
                new ChecksReport(NOW, Duration.ZERO, List.of(), List.of(), List.of(), Optional.empty(), List.of());
        try (LogCapture log = new LogCapture(AlertEvaluator.class)) {
            AlertEvaluator alerts = new AlertEvaluator(settings.alerts(), history, AlertListener.NONE, clock);

            assertEquals(
                    new AlertState(
                            "sweep-health",
                            false,
                            OptionalDouble.of(0),
                            7200,
                            "job logs time since success 0s (no success since the start) <= 2h"),
                    alerts.evaluate(noChecks).get(0));
            clock.advance(Duration.ofHours(3));
            assertEquals(
                    new AlertState(
                            "sweep-health",
                            true,
                            OptionalDouble.of(3 * 3600),
                            7200,
                            "job logs time since success 3h (no success since the start) > 2h"),
                    alerts.evaluate(noChecks).get(0));
            successes.add(clock.instant().minus(Duration.ofMinutes(10)));
            assertEquals(
                    new AlertState(
                            "sweep-health",
                            false,
                            OptionalDouble.of(600),
                            7200,
                            "job logs time since success 10m <= 2h"),
                    alerts.evaluate(noChecks).get(0));

            assertEquals(
                    List.of(
                            "WARN alert sweep-health firing: job logs time since success 3h (no success since the start) > 2h",
                            "WARN alert sweep-health resolved: job logs time since success 10m <= 2h"),
                    log.lines());
        }
    }

    @Test
    void withoutTheDaemonsHistoryJobHealthIsUnknownAndNeverFires() throws Exception {
        Settings settings =
                ChecksScenario.settings(dir, "alerts.sweep-health { job = logs, max-time-since-success = 2h }");
        ChecksReport noChecks =
                new ChecksReport(NOW, Duration.ZERO, List.of(), List.of(), List.of(), Optional.empty(), List.of());

        assertEquals(
                List.of(new AlertState(
                        "sweep-health",
                        false,
                        OptionalDouble.empty(),
                        7200,
                        "job logs time since success unknown: only the daemon knows when its jobs last succeeded")),
                AlertEvaluator.withoutHistory(settings.alerts(), CLOCK).evaluate(noChecks));
    }
}
