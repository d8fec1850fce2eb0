package io.runsweep.app;

import static io.runsweep.jobs.PrefectHistory.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.PrefectHistory;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.schedule.JobOutcome;
import io.runsweep.jobs.schedule.JobResult;
import io.runsweep.jobs.schedule.JobStates;
import io.runsweep.jobs.schedule.ScheduledJob;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Prefect server with a year of history, 98% of its events older than 7 days: the daemon's policy jobs, built
 * as {@code runsweep daemon} builds them from the stock preset and run once each, with no flag, delete every due
 * row and keep every other.
 */
class BacklogDrainTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theStockPresetDrainsAYearOfHistoryInTheDaemonsPolicyJobs(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            PrefectHistory.seed(db, 2000, 365, NOW);
            String week = PrefectHistory.literal(db, NOW.minus(Duration.ofDays(7)));
            String quarter = PrefectHistory.literal(db, NOW.minus(Duration.ofDays(90)));
            String terminal = " AND state_type IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')";
            long events = count(db, "SELECT count(*) FROM events");
            long youngEvents = count(db, "SELECT count(*) FROM events WHERE occurred >= " + week);
            assertTrue(events - youngEvents > 0.95 * events, (events - youngEvents) + " of " + events + " events old");
            long keptRuns = count(
                    db, "SELECT count(*) FROM flow_run WHERE (end_time < " + quarter + terminal + ") IS NOT TRUE");
            long youngResources = count(db, "SELECT count(*) FROM event_resources WHERE occurred >= " + week);
            Settings settings = SettingsLoader.load(
                    Optional.empty(), Map.of("RUNSWEEP_PRESET", "prefect"), cron -> Optional.empty());

            List<ScheduledJob> jobs = DaemonJobs.policies(settings, Clock.fixed(NOW, ZoneOffset.UTC))
                    .create(db, new SimpleMeterRegistry(), new JobStates(), new StopSignal());

            assertEquals(
                    List.of(
                            "flow-runs",
                            "task-runs",
                            "logs",
                            "events",
                            "event-resources",
                            "orphan-artifacts",
                            "orphan-collections"),
                    jobs.stream().map(ScheduledJob::name).toList());
            for (ScheduledJob job : jobs) {
                JobResult result = job.run(() -> false);
                assertEquals(JobOutcome.SUCCEEDED, result.outcome(), job.name() + ": " + result.error());
            }
            assertEquals(0, count(db, "SELECT count(*) FROM events WHERE occurred < " + week));
            assertEquals(0, count(db, "SELECT count(*) FROM event_resources WHERE occurred < " + week));
            assertEquals(youngEvents, count(db, "SELECT count(*) FROM events"));
            assertEquals(youngResources, count(db, "SELECT count(*) FROM event_resources"));
            assertEquals(keptRuns, count(db, "SELECT count(*) FROM flow_run"));
            assertEquals(0, count(db, "SELECT count(*) FROM log WHERE timestamp < " + quarter));
            assertEquals(
                    0,
                    count(
                            db,
                            "SELECT count(*) FROM task_run WHERE flow_run_id IS NULL AND end_time < " + quarter
                                    + terminal));
        }
    }
}
