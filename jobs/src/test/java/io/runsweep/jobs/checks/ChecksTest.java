package io.runsweep.jobs.checks;

import static io.runsweep.jobs.checks.ChecksScenario.CLOCK;
import static io.runsweep.jobs.checks.ChecksScenario.NOW;
import static io.runsweep.jobs.checks.ChecksScenario.daysAgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.PrefectScenario;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.PostgresVacuum;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The checks on the Prefect fixture, on a real SQLite file and a real PostgreSQL, against known rows. */
class ChecksTest {
    /** Every enabled policy's table, then its dependents and cascades, each once, in that order. */
    static final List<String> MANAGED = List.of(
            "flow_run",
            "log",
            "artifact",
            "flow_run_input",
            "flow_run_state",
            "task_run",
            "task_run_state",
            "events",
            "event_resources",
            "artifact_collection");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void measuresEveryManagedTableWithExactRowsAndSizesThatAddUp(DatabaseKind kind) throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(kind, dir)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }

            ChecksReport report = new Checks(database, ChecksScenario.settings(dir), CLOCK).run();

            assertEquals(List.of(), report.problems());
            assertEquals(NOW, report.at());
            assertEquals(
                    MANAGED, report.tables().stream().map(TableCheck::table).toList());
            assertEquals(
                    List.of(10L, 4L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
                    report.tables().stream()
                            .map(t -> t.stats().rows().orElseThrow())
                            .toList());
            try (Connection c = database.connection()) {
                for (TableCheck table : report.tables()) {
                    assertTrue(table.stats().rowsExact(), table.table());
                    assertEquals(
                            table.stats().totalBytes(),
                            table.stats().tableBytes()
                                    + table.stats().indexBytes()
                                    + table.stats().toastBytes());
                    // PostgreSQL gives an empty table no heap page at all; every index has at least its first page.
                    assertEquals(
                            table.stats().rows().getAsLong() > 0 || kind == DatabaseKind.SQLITE,
                            table.stats().tableBytes() > 0,
                            table.toString());
                    assertTrue(table.stats().indexBytes() > 0, table.toString());
                    assertEquals(
                            database.dialect()
                                    .totalBytes(
                                            c,
                                            database.dialect()
                                                    .describe(c, TableName.of(table.table()))
                                                    .orElseThrow()),
                            table.stats().totalBytes());
                    assertEquals(
                            kind == DatabaseKind.POSTGRESQL,
                            table.stats().upkeep().isPresent(),
                            table.table());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void backlogIsWhatTheDryRunCountsAndOldestAgeIsExact(DatabaseKind kind) throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(kind, dir)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(dir);

            ChecksReport report = new Checks(database, settings, CLOCK).run();
            SweepReport dryRun;
            try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
                dryRun = new Sweep(readOnly, TestSettings.runOptions(), CLOCK, new StopSignal())
                        .run(settings.enabledPolicies(), true, PurgeProgress.NONE);
            }

            assertEquals(
                    PrefectScenario.POLICIES,
                    report.policies().stream().map(PolicyCheck::policy).toList());
            assertEquals(
                    List.of(3L, 0L, 2L, 0L, 0L, 0L, 0L),
                    report.policies().stream().map(PolicyCheck::backlog).toList());
            for (int i = 0; i < dryRun.policies().size(); i++) {
                PolicyReport preview = dryRun.policies().get(i);
                assertEquals(
                        preview.rows(preview.table()), report.policies().get(i).backlog(), preview.policy());
                assertEquals(
                        preview.cutoff().orElseThrow(), report.policies().get(i).cutoff());
            }
            assertEquals(
                    new PolicyCheck(
                            "flow-runs",
                            "flow_run",
                            daysAgo(90),
                            3,
                            Optional.of(daysAgo(200)),
                            Optional.of(Duration.ofDays(200))),
                    report.policies().get(0));
            assertEquals(
                    new PolicyCheck(
                            "logs",
                            "log",
                            daysAgo(90),
                            2,
                            Optional.of(daysAgo(120)),
                            Optional.of(Duration.ofDays(120))),
                    report.policies().get(2));
            assertEquals(
                    new PolicyCheck("events", "events", daysAgo(7), 0, Optional.empty(), Optional.empty()),
                    report.policies().get(3));
        }
    }

    /**
     * The oldest row is judged among the rows the policy could ever delete: a run that never finished, or is
     * still running, is older than any but never counts.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void oldestAgeIgnoresRowsThePolicyWouldNeverDelete(DatabaseKind kind) throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(kind, dir)) {
            try (Connection c = database.connection()) {
                TestRows rows = new TestRows(c);
                ChecksScenario.seed(rows);
                rows.insert(
                        "flow_run",
                        "id",
                        TestRows.uuid(120),
                        "name",
                        "paused",
                        "flow_id",
                        TestRows.uuid(1),
                        "state_type",
                        "PAUSED",
                        "end_time",
                        daysAgo(900));
            }

            ChecksReport report = new Checks(database, ChecksScenario.settings(dir), CLOCK).run();

            assertEquals(
                    Optional.of(Duration.ofDays(200)),
                    report.policy("flow-runs").orElseThrow().oldestAge());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void stuckRunsAreRunningOrPendingForMoreThanADayByStartOrExpectedStart(DatabaseKind kind) throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(kind, dir)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }

            ChecksReport report = new Checks(
                            database,
                            ChecksScenario.settings(
                                    dir,
                                    "checks.stuck.slow { table = flow_run, status-column = state_type, statuses = [RUNNING],"
                                            + " time-column = start_time, older-than = 1h }"),
                            CLOCK)
                    .run();

            assertEquals(
                    List.of(
                            new StuckCheck(
                                    "flow-runs", "flow_run", 2, Duration.ofHours(24), NOW.minus(Duration.ofHours(24))),
                            new StuckCheck("slow", "flow_run", 2, Duration.ofHours(1), NOW.minus(Duration.ofHours(1)))),
                    report.stuck());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void rowsFollowADeleteThatTheCatalogsStatisticsHaveNotSeen(DatabaseKind kind) throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(kind, dir)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                ChecksScenario.seed(new TestRows(c));
                s.execute("ANALYZE flow_run");
                s.execute("DELETE FROM flow_run WHERE id = '" + ChecksScenario.COMPLETED_RECENT + "'");
            }
            Settings estimates = ChecksScenario.settings(dir, "checks.exact-counts = false");

            ChecksReport report = new Checks(database, estimates, CLOCK).run();

            TableCheck flowRun = report.table("flow_run").orElseThrow();
            assertEquals(OptionalLong.of(9), flowRun.stats().rows(), "the last ANALYZE saw 10");
            assertEquals(true, flowRun.stats().rowsExact());
            TableCheck log = report.table("log").orElseThrow();
            assertEquals(OptionalLong.of(4), log.stats().rows(), "never analyzed");
            assertEquals(true, log.stats().rowsExact());
        }
    }

    @Test
    void postgresCountsDeadRowsLeftByADeleteUntilVacuum() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.POSTGRESQL, dir)) {
            // One connection writes everything, so one flush publishes all of its statistics.
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                s.execute("ALTER TABLE flow_run SET (autovacuum_enabled = false)");
                ChecksScenario.seed(new TestRows(c));
                s.execute("DELETE FROM flow_run WHERE id = '" + ChecksScenario.COMPLETED_RECENT + "'");
                new PostgresVacuum().flushStatistics(c);
            }

            TableCheck flowRun = new Checks(database, ChecksScenario.settings(dir), CLOCK)
                    .run()
                    .table("flow_run")
                    .orElseThrow();

            assertEquals(9, flowRun.stats().upkeep().orElseThrow().liveRows());
            assertEquals(1, flowRun.stats().upkeep().orElseThrow().deadRows());
            assertEquals(
                    Optional.empty(), flowRun.stats().upkeep().orElseThrow().lastVacuumed());
            assertEquals(OptionalLong.of(9), flowRun.stats().rows());
        }
    }

    @Test
    void sqliteFileSizesAndPagesMatchTheFilesOnDisk() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                ChecksScenario.seed(new TestRows(c));
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            Path file = dir.resolve("prefect.db");

            FileStats checked = new Checks(database, ChecksScenario.settings(dir), CLOCK)
                    .run()
                    .file()
                    .orElseThrow();

            assertEquals(file, checked.file());
            assertEquals(Files.size(file), checked.fileBytes());
            assertEquals(checked.fileBytes(), checked.pageCount() * checked.pageSize());
            assertEquals(4096, checked.pageSize());
            assertEquals(0, checked.freePages());
            assertEquals(0, checked.walBytes());

            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                s.execute("DELETE FROM log");
            }
            FileStats afterDelete = new Checks(database, ChecksScenario.settings(dir), CLOCK)
                    .run()
                    .file()
                    .orElseThrow();
            assertEquals(Files.size(dir.resolve("prefect.db-wal")), afterDelete.walBytes());
            assertTrue(afterDelete.walBytes() > 0, "the delete is in the WAL until a checkpoint");
        }
    }

    @Test
    void postgresHasNoDatabaseFile() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.POSTGRESQL, dir)) {
            assertEquals(
                    Optional.empty(),
                    new Checks(database, ChecksScenario.settings(dir), CLOCK)
                            .run()
                            .file());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCheckThatCannotRunIsAProblemAndTheOthersStillRun(DatabaseKind kind) throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(kind, dir)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(
                    dir,
                    "policies.gone { table = gone, time-column = created, older-than = 1d }",
                    "checks.stuck.typo { table = flow_run, status-column = state, statuses = [RUNNING],"
                            + " time-column = start_time, older-than = 1h }",
                    "alerts.missing { table = nowhere, max-rows = 1 }");

            ChecksReport report = new Checks(database, settings, CLOCK).run();

            assertEquals(
                    List.of(
                            "policy gone: table \"gone\" does not exist in the database (policy defined at "
                                    + dir.resolve("runsweep.conf") + ": 4)",
                            "alert missing: table \"nowhere\" does not exist in the database",
                            "stuck check typo: table \"flow_run\" has no column \"state\""),
                    report.problems());
            assertEquals(
                    MANAGED, report.tables().stream().map(TableCheck::table).toList());
            assertEquals(
                    PrefectScenario.POLICIES,
                    report.policies().stream().map(PolicyCheck::policy).toList());
            assertEquals(
                    List.of("flow-runs"),
                    report.stuck().stream().map(StuckCheck::name).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aTableThatOnlyAnAlertNamesIsMeasuredToo(DatabaseKind kind) throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(kind, dir)) {
            Settings settings = ChecksScenario.settings(
                    dir,
                    "alerts.flows { table = flow, max-rows = 100 }",
                    "policies { task-runs = null, logs = null, events = null, event-resources = null,"
                            + " orphan-artifacts = null, orphan-collections = null, flow-runs.enabled = false }");

            ChecksReport report = new Checks(database, settings, CLOCK).run();

            assertEquals(
                    List.of("flow"),
                    report.tables().stream().map(TableCheck::table).toList());
            assertEquals(List.of(), report.policies());
            assertEquals(
                    OptionalLong.of(0),
                    report.table("flow").orElseThrow().stats().rows());
        }
    }
}
