package io.runsweep.jobs.schedule;

import static io.runsweep.sql.testing.TestRows.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.metrics.BatchMetrics;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.JobLock;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** A policy run as the daemon runs it: lock, purge, one log line, metrics and status, on real databases. */
class JobExecutorTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final JobStates history = new JobStates();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(JobExecutor.class)).addAppender(log);
        ((Logger) LoggerFactory.getLogger(JobExecutor.class)).setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(JobExecutor.class)).detachAppender(log);
        ((Logger) LoggerFactory.getLogger(JobExecutor.class)).setLevel(null);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRunDeletesWithDependentsAndIsCountedOnceInLogMetricsAndStatus(DatabaseKind kind) throws Exception {
        try (Database database = seeded(kind, 5);
                Database locks = TestDatabases.reopenReadOnly(database)) {
            PolicyJob job = job(database, "flow-runs");
            JobMetrics metrics = new JobMetrics(registry);
            metrics.register(job.name());

            JobRun run = executor(locks, () -> false, metrics).execute(job, NOW);

            assertEquals(JobOutcome.SUCCEEDED, run.outcome(), run.result().summary());
            assertEquals(
                    Map.of("flow_run", 5L, "log", 10L, "artifact", 0L),
                    run.result().rowsDeleted());
            assertEquals(
                    List.of("flow-runs - succeeded: deleted 5 rows from \"flow_run\", 10 from \"log\", 0 from"
                            + " \"artifact\" in 2 batches ("
                            + String.format("%.2f s", run.duration().toNanos() / 1e9) + ")"),
                    log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertEquals(
                    5.0,
                    registry.get("runsweep.rows.deleted")
                            .tags("policy", "flow-runs", "table", "flow_run")
                            .counter()
                            .count());
            assertEquals(
                    10.0,
                    registry.get("runsweep.rows.deleted")
                            .tags("policy", "flow-runs", "table", "log")
                            .counter()
                            .count());
            assertEquals(
                    2,
                    registry.get("runsweep.batch.duration")
                            .tags("policy", "flow-runs")
                            .timer()
                            .count());
            assertEquals(
                    1.0,
                    registry.get("runsweep.job.runs")
                            .tags("runsweep_job", "flow-runs", "outcome", "succeeded")
                            .counter()
                            .count());
            assertEquals(
                    0.0,
                    registry.get("runsweep.job.runs")
                            .tags("runsweep_job", "flow-runs", "outcome", "failed")
                            .counter()
                            .count());
            assertEquals(
                    1,
                    registry.get("runsweep.job.duration")
                            .tags("runsweep_job", "flow-runs")
                            .timer()
                            .count());
            assertEquals(
                    run.endedAt().toEpochMilli() / 1000.0,
                    registry.get("runsweep.job.last.success.timestamp")
                            .tags("runsweep_job", "flow-runs")
                            .gauge()
                            .value());
            JobStates.JobState state = history.states().get(0);
            assertEquals(Optional.of(run), state.lastRun());
            assertEquals(Optional.of(run.endedAt()), state.lastSuccess());
            assertEquals(Optional.empty(), state.runningSince());
            try (Connection c = database.connection()) {
                TestRows rows = new TestRows(c);
                assertEquals(1, rows.count("flow_run"), "the recent run stays");
                assertEquals(2, rows.count("log"), "the recent run's logs stay");
            }
        }
    }

    @Test
    void aStopRequestEndsTheRunAfterTheBatchUnderWayWithNothingHalfDone() throws Exception {
        try (Database database = seeded(DatabaseKind.SQLITE, 5);
                Database locks = TestDatabases.reopenReadOnly(database)) {
            PolicyJob job = job(database, "flow-runs");
            AtomicInteger asked = new AtomicInteger();
            // Asked once before each batch: false before the first, true before the second.
            BooleanSupplier stopAfterFirstBatch = () -> asked.incrementAndGet() >= 2;

            JobRun run = executor(locks, stopAfterFirstBatch, new JobMetrics(registry))
                    .execute(job, NOW);

            assertEquals(JobOutcome.STOPPED, run.outcome());
            assertEquals(
                    Map.of("flow_run", 2L, "log", 4L, "artifact", 0L),
                    run.result().rowsDeleted());
            try (Connection c = database.connection()) {
                TestRows rows = new TestRows(c);
                assertEquals(4, rows.count("flow_run"));
                assertEquals(8, rows.count("log"), "every remaining run keeps both its logs");
            }
            assertEquals(
                    1.0,
                    registry.get("runsweep.job.runs")
                            .tags("runsweep_job", "flow-runs", "outcome", "stopped")
                            .counter()
                            .count());
            assertEquals(
                    List.of("flow-runs - stopped: deleted 2 rows from \"flow_run\", 4 from \"log\", 0 from"
                            + " \"artifact\" in 1 batch; stopped at the daemon stopping, about 3 matching rows remain"
                            + " for the next run ("
                            + String.format("%.2f s", run.duration().toNanos() / 1e9) + ")"),
                    log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        }
    }

    @Test
    void aJobAnotherDaemonHoldsIsSkippedAndCounted() throws Exception {
        try (Database database = seeded(DatabaseKind.POSTGRESQL, 5);
                Database otherDaemon = TestDatabases.reopenReadOnly(database);
                Database locks = TestDatabases.reopenReadOnly(database)) {
            PolicyJob job = job(database, "flow-runs");
            JobRun run;
            try (JobLock held = new JobLocks(otherDaemon).tryLock("flow-runs").orElseThrow()) {
                run = executor(locks, () -> false, new JobMetrics(registry)).execute(job, NOW);
            }

            assertEquals(JobOutcome.SKIPPED_LOCKED, run.outcome());
            assertEquals(
                    1.0,
                    registry.get("runsweep.job.runs")
                            .tags("runsweep_job", "flow-runs", "outcome", "skipped_locked")
                            .counter()
                            .count());
            assertEquals(0, registry.find("runsweep.job.duration").timers().size(), "a skipped run has no duration");
            try (Connection c = database.connection()) {
                assertEquals(6, new TestRows(c).count("flow_run"), "nothing was deleted");
            }
            assertEquals(
                    List.of("flow-runs - skipped_locked: another daemon on this database is running it ("
                            + String.format("%.2f s", run.duration().toNanos() / 1e9) + ")"),
                    log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        }
    }

    @Test
    void aFailingJobIsLoggedAsAnErrorWithItsReason() throws Exception {
        try (Database database = seeded(DatabaseKind.SQLITE, 1);
                Database locks = TestDatabases.reopenReadOnly(database)) {
            ScheduledJob broken = new ScheduledJob() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public String schedule() {
                    return "0 0 * * * ?";
                }

                @Override
                public JobResult run(BooleanSupplier stopRequested) throws Exception {
                    throw new java.sql.SQLException("no such table: nothing", "HY000", 1);
                }
            };

            history.register(broken);
            JobRun run = executor(locks, () -> false, new JobMetrics(registry)).execute(broken, NOW);

            assertEquals(JobOutcome.FAILED, run.outcome());
            assertEquals(
                    Optional.of("SQL State HY000, error code 1: no such table: nothing"),
                    run.result().error());
            assertEquals("ERROR", log.list.get(0).getLevel().toString());
            assertEquals(
                    1.0,
                    registry.get("runsweep.job.runs")
                            .tags("runsweep_job", "broken", "outcome", "failed")
                            .counter()
                            .count());
            assertEquals(
                    0,
                    registry.find("runsweep.job.last.success.timestamp")
                            .gauges()
                            .size());
        }
    }

    private JobExecutor executor(Database locks, BooleanSupplier stop, JobMetrics metrics) {
        return new JobExecutor(new JobLocks(locks), stop, CLOCK, List.of(history, metrics));
    }

    private PolicyJob job(Database database, String policy) throws Exception {
        Path file = Files.writeString(
                dir.resolve("runsweep.conf"),
                "runsweep { preset = prefect, policies.flow-runs { batch-size = 2, strategy = index } }\n");
        Settings settings = SettingsLoader.load(Optional.of(file), Map.of(), c -> Optional.empty());
        PolicyJob job = new PolicyJob(
                new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal()),
                settings.policies().get(policy),
                new BatchMetrics(registry, database.kind() == DatabaseKind.SQLITE ? "main" : "public"));
        history.register(job);
        return job;
    }

    /** Prefect's schema; {@code expired} finished runs 100 days old, one 10 days old; two log lines each. */
    private Database seeded(DatabaseKind kind, int expired) throws Exception {
        Database database = TestDatabases.open(kind, dir);
        try (Connection c = database.connection()) {
            PrefectSchema.create(c, SchemaDialect.of(kind));
            TestRows rows = new TestRows(c);
            rows.insert("flow", "id", uuid(1), "name", "etl");
            for (int i = 0; i <= expired; i++) {
                Instant end = NOW.minus(Duration.ofDays(i < expired ? 100 : 10));
                String run = uuid(100 + i);
                rows.insert(
                        "flow_run",
                        "id",
                        run,
                        "name",
                        "run-" + i,
                        "flow_id",
                        uuid(1),
                        "state_type",
                        "COMPLETED",
                        "end_time",
                        end);
                for (int line = 0; line < 2; line++) {
                    rows.insert(
                            "log",
                            "id",
                            uuid(1000 + 10 * i + line),
                            "name",
                            "prefect",
                            "level",
                            20,
                            "flow_run_id",
                            run,
                            "message",
                            "line",
                            "timestamp",
                            end);
                }
            }
        }
        return database;
    }
}
