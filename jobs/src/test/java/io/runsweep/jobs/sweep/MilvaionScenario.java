package io.runsweep.jobs.sweep;

import static io.runsweep.sql.testing.TestRows.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Database;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Hand-made Milvaion history with every status and edge case the preset must get right, and the exact
 * rows that must be left. Runs against any PostgreSQL database that already has Milvaion's tables: the
 * project's fixture, or Milvaion's real schema.
 */
final class MilvaionScenario {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final List<String> TABLES = List.of(
            "ScheduledJobs",
            "Workflows",
            "WorkflowRuns",
            "JobOccurrences",
            "JobOccurrenceLogs",
            "FailedOccurrences",
            "ActivityLogs",
            "InternalNotifications");

    // Statuses of "JobOccurrences"
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int COMPLETED = 2;
    private static final int FAILED = 3;
    private static final int CANCELLED = 4;
    private static final int TIMED_OUT = 5;
    private static final int UNKNOWN = 6;
    private static final int SKIPPED = 7;
    // Statuses of "WorkflowRuns"
    private static final int WORKFLOW_RUNNING = 1;
    private static final int WORKFLOW_COMPLETED = 2;
    private static final int WORKFLOW_FAILED = 3;
    private static final int WORKFLOW_CANCELLED = 4;

    private static final String JOB = uuid(1);
    private static final String WORKFLOW = uuid(2);

    private MilvaionScenario() {}

    static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    /** Seeds the scenario, dry-runs the preset (asserting nothing changes), sweeps, and checks what is left. */
    static SweepReport run(Database database) throws Exception {
        Settings settings =
                SettingsLoader.load(Optional.empty(), Map.of("RUNSWEEP_PRESET", "milvaion"), c -> Optional.empty());
        try (Connection c = database.connection()) {
            seed(new TestRows(c));
        }
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        List<String> before = snapshot(database);

        SweepReport preview;
        try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
            preview = new Sweep(readOnly, TestSettings.runOptions(), clock, new StopSignal())
                    .run(settings.enabledPolicies(), true, PurgeProgress.NONE);
        }
        assertEquals(before, snapshot(database), "a dry run changed the database");
        assertPreview(byName(preview));

        SweepReport sweep = new Sweep(database, TestSettings.runOptions(), clock, new StopSignal())
                .run(settings.enabledPolicies(), false, PurgeProgress.NONE);
        Map<String, PolicyReport> reports = byName(sweep);
        reports.values()
                .forEach(r -> assertEquals(PolicyReport.Outcome.SUCCEEDED, r.outcome(), r.policy() + ": " + r.error()));
        assertEquals(
                Map.ofEntries(
                        Map.entry("occurrences-completed", 3L),
                        Map.entry("occurrences-failed", 0L),
                        Map.entry("occurrences-cancelled", 1L),
                        Map.entry("occurrences-timed-out", 1L),
                        Map.entry("occurrences-unknown", 0L),
                        Map.entry("occurrences-skipped", 1L),
                        Map.entry("failed-occurrences-resolved", 2L),
                        Map.entry("failed-occurrences-unresolved", 1L),
                        Map.entry("workflow-runs", 3L),
                        Map.entry("activity-logs", 1L),
                        Map.entry("notifications-seen", 1L),
                        Map.entry("notifications-unseen", 1L)),
                matchedRows(reports));
        assertRowsLeft(database);
        return sweep;
    }

    /**
     * Each policy counted alone against the untouched database: the old Failed and Unknown occurrences wait for
     * their unresolved dead-letter rows (kept 180 days), so neither policy takes them nor cascades to a dead
     * letter; and the workflow run whose last occurrence the completed policy would delete is still referenced,
     * so not yet counted.
     */
    private static void assertPreview(Map<String, PolicyReport> preview) {
        preview.values()
                .forEach(r -> assertEquals(PolicyReport.Outcome.PREVIEWED, r.outcome(), r.policy() + ": " + r.error()));
        PolicyReport completed = preview.get("occurrences-completed");
        assertEquals(
                List.of(3L, 2L, 0L),
                List.of(
                        completed.rows("JobOccurrences"),
                        completed.rows("JobOccurrenceLogs"),
                        completed.rows("FailedOccurrences")));
        PolicyReport failed = preview.get("occurrences-failed");
        assertEquals(
                List.of(0L, 0L, 0L),
                List.of(
                        failed.rows("JobOccurrences"),
                        failed.rows("JobOccurrenceLogs"),
                        failed.rows("FailedOccurrences")));
        assertEquals(
                List.of("JobOccurrences matched", "JobOccurrenceLogs cascade"),
                failed.tables().stream()
                        .map(t -> t.table() + " " + t.how().label())
                        .toList(),
                "an occurrence waits for its dead letter, so the cascade to it is gone from the plan");
        PolicyReport unknown = preview.get("occurrences-unknown");
        assertEquals(
                List.of(0L, 0L, 0L),
                List.of(
                        unknown.rows("JobOccurrences"),
                        unknown.rows("JobOccurrenceLogs"),
                        unknown.rows("FailedOccurrences")));
        assertEquals(2, preview.get("workflow-runs").rows("WorkflowRuns"));
        assertEquals(1, preview.get("failed-occurrences-unresolved").rows("FailedOccurrences"));
        assertEquals(2, preview.get("failed-occurrences-resolved").rows("FailedOccurrences"));
    }

    private static void assertRowsLeft(Database database) throws SQLException {
        try (Connection c = database.connection()) {
            assertEquals(
                    ids(
                            uuid(202), uuid(204), uuid(205), uuid(206), uuid(207), uuid(209), uuid(211), uuid(212),
                            uuid(213), uuid(215), uuid(216), uuid(217), uuid(218), uuid(219)),
                    ids(c, "JobOccurrences"));
            assertEquals(ids(uuid(101), uuid(104), uuid(105)), ids(c, "WorkflowRuns"));
            assertEquals(ids(uuid(403), uuid(404), uuid(405), uuid(406)), ids(c, "JobOccurrenceLogs"));
            assertEquals(ids(uuid(306), uuid(308), uuid(310), uuid(312)), ids(c, "FailedOccurrences"));
            assertEquals(ids("2"), ids(c, "ActivityLogs"));
            assertEquals(ids("2", "4", "5"), ids(c, "InternalNotifications"));
            assertEquals(ids(JOB), ids(c, "ScheduledJobs"));
            assertEquals(ids(WORKFLOW), ids(c, "Workflows"));
        }
    }

    private static void seed(TestRows rows) throws SQLException {
        rows.insert(
                "ScheduledJobs",
                "Id",
                JOB,
                "DisplayName",
                "nightly-report",
                "ExecuteAt",
                daysAgo(500),
                "IsActive",
                true,
                "ConcurrentExecutionPolicy",
                0,
                "JobNameInWorker",
                "ReportJob",
                "Version",
                1);
        rows.insert(
                "Workflows",
                "Id",
                WORKFLOW,
                "Name",
                "etl",
                "IsActive",
                true,
                "FailureStrategy",
                0,
                "MaxStepRetries",
                0,
                "Version",
                1,
                "Definition",
                "{}");
        workflowRuns(rows);
        occurrences(rows);
        logs(rows);
        deadLetters(rows);
        rows.insert("ActivityLogs", "Id", 1, "UserName", "admin", "Activity", 1, "ActivityDate", daysAgo(61));
        rows.insert("ActivityLogs", "Id", 2, "UserName", "admin", "Activity", 1, "ActivityDate", daysAgo(59));
        notification(rows, 1, daysAgo(40), daysAgo(31)); // seen 31 days ago: goes
        notification(rows, 2, daysAgo(100), daysAgo(29)); // old, but seen 29 days ago: kept
        notification(rows, 3, daysAgo(61), null); // unseen, 61 days: goes
        notification(rows, 4, daysAgo(59), null); // unseen, 59 days: kept
        notification(rows, 5, null, null); // unseen without a "CreationDate": never judged
    }

    private static void workflowRuns(TestRows rows) throws SQLException {
        workflowRun(rows, 101, WORKFLOW_COMPLETED, daysAgo(200), daysAgo(200)); // still referenced: kept
        workflowRun(rows, 102, WORKFLOW_COMPLETED, daysAgo(100), daysAgo(100)); // no occurrence: goes
        workflowRun(rows, 103, WORKFLOW_FAILED, daysAgo(120), daysAgo(120)); // its only occurrence goes first
        workflowRun(rows, 104, WORKFLOW_RUNNING, null, daysAgo(200)); // not terminal: kept
        workflowRun(rows, 105, WORKFLOW_COMPLETED, daysAgo(89), daysAgo(89)); // too recent: kept
        workflowRun(rows, 106, WORKFLOW_CANCELLED, null, daysAgo(91)); // no "EndTime": judged by "CreatedAt"
    }

    private static void occurrences(TestRows rows) throws SQLException {
        occurrence(rows, 201, COMPLETED, daysAgo(31), daysAgo(31), null);
        occurrence(rows, 202, COMPLETED, daysAgo(29), daysAgo(29), null);
        occurrence(rows, 203, COMPLETED, null, daysAgo(40), null); // NULL "EndTime", created 40 days ago: goes
        occurrence(rows, 204, COMPLETED, null, daysAgo(20), null); // NULL "EndTime", created 20 days ago: kept
        occurrence(rows, 205, COMPLETED, daysAgo(10), daysAgo(100), null); // "EndTime" decides when it is set
        occurrence(rows, 206, FAILED, daysAgo(100), daysAgo(100), null);
        occurrence(rows, 207, FAILED, daysAgo(60), daysAgo(60), null);
        occurrence(rows, 208, CANCELLED, daysAgo(31), daysAgo(31), null);
        occurrence(rows, 209, CANCELLED, daysAgo(29), daysAgo(29), null);
        occurrence(rows, 210, TIMED_OUT, daysAgo(61), daysAgo(61), null);
        occurrence(rows, 211, TIMED_OUT, daysAgo(59), daysAgo(59), null);
        occurrence(rows, 212, UNKNOWN, null, daysAgo(91), null); // zombies have no "EndTime"
        occurrence(rows, 213, UNKNOWN, null, daysAgo(89), null);
        occurrence(rows, 214, SKIPPED, daysAgo(31), daysAgo(31), null);
        occurrence(rows, 215, SKIPPED, daysAgo(29), daysAgo(29), null);
        occurrence(rows, 216, RUNNING, null, daysAgo(400), null); // stuck for a year: never deleted
        occurrence(rows, 217, RUNNING, daysAgo(400), daysAgo(400), null); // even with an "EndTime"
        occurrence(rows, 218, QUEUED, null, daysAgo(400), null);
        occurrence(rows, 219, COMPLETED, daysAgo(10), daysAgo(10), uuid(101));
        occurrence(rows, 220, COMPLETED, daysAgo(120), daysAgo(120), uuid(103));
    }

    private static void logs(TestRows rows) throws SQLException {
        log(rows, 401, 201, daysAgo(31));
        log(rows, 402, 201, daysAgo(31));
        log(rows, 403, 206, daysAgo(100));
        log(rows, 404, 202, daysAgo(29));
        log(rows, 405, 216, daysAgo(400)); // an old line of a stuck run: logs go only with their occurrence
        log(rows, 406, 212, daysAgo(91));
    }

    /**
     * Milvaion writes one dead-letter row per failed occurrence, at its end. Here several hang off one kept
     * Failed occurrence (207), dated apart from it, so that only the dead-letter policies judge them.
     */
    private static void deadLetters(TestRows rows) throws SQLException {
        deadLetter(rows, 306, 206, daysAgo(100), false, null); // unresolved, 100 days: kept, and its occurrence too
        deadLetter(rows, 307, 207, daysAgo(60), true, daysAgo(31)); // resolved 31 days ago: goes
        deadLetter(rows, 308, 207, daysAgo(60), true, daysAgo(29)); // resolved 29 days ago: kept
        deadLetter(rows, 309, 207, daysAgo(40), true, null); // resolved, no "ResolvedAt": by "FailedAt", goes
        deadLetter(rows, 310, 207, daysAgo(100), false, null); // unresolved, 100 days: kept (180)
        deadLetter(rows, 311, 207, daysAgo(181), false, null); // unresolved, 181 days: goes
        deadLetter(rows, 312, 212, daysAgo(91), false, null); // the zombie detector's: kept, and its occurrence too
    }

    private static void workflowRun(TestRows rows, int id, int status, Instant end, Instant created)
            throws SQLException {
        rows.insert(
                "WorkflowRuns",
                "Id",
                uuid(id),
                "WorkflowId",
                WORKFLOW,
                "WorkflowVersion",
                1,
                "CorrelationId",
                uuid(id + 9000),
                "Status",
                status,
                "EndTime",
                end,
                "CreatedAt",
                created);
    }

    private static void occurrence(TestRows rows, int id, int status, Instant end, Instant created, String workflowRun)
            throws SQLException {
        rows.insert(
                "JobOccurrences",
                "Id",
                uuid(id),
                "JobName",
                "ReportJob",
                "JobId",
                JOB,
                "JobVersion",
                1,
                "CorrelationId",
                uuid(id + 9000),
                "Status",
                status,
                "EndTime",
                end,
                "CreatedAt",
                created,
                "DispatchRetryCount",
                0,
                "LastHeartbeat",
                status == RUNNING ? created.plusSeconds(60) : null,
                "WorkflowRunId",
                workflowRun);
    }

    private static void log(TestRows rows, int id, int occurrence, Instant at) throws SQLException {
        rows.insert(
                "JobOccurrenceLogs",
                "Id",
                uuid(id),
                "OccurrenceId",
                uuid(occurrence),
                "Timestamp",
                at,
                "Level",
                "Information",
                "Message",
                "line " + id);
    }

    private static void deadLetter(
            TestRows rows, int id, int occurrence, Instant failedAt, boolean resolved, Instant resolvedAt)
            throws SQLException {
        rows.insert(
                "FailedOccurrences",
                "Id",
                uuid(id),
                "JobId",
                JOB,
                "OccurrenceId",
                uuid(occurrence),
                "CorrelationId",
                uuid(occurrence + 9000),
                "JobDisplayName",
                "nightly-report",
                "JobNameInWorker",
                "ReportJob",
                "FailedAt",
                failedAt,
                "RetryCount",
                3,
                "FailureType",
                occurrence == 212 ? 8 : 1,
                "Resolved",
                resolved,
                "ResolvedAt",
                resolvedAt);
    }

    private static void notification(TestRows rows, int id, Instant created, Instant seen) throws SQLException {
        rows.insert(
                "InternalNotifications",
                "Id",
                id,
                "RecipientUserId",
                1,
                "Type",
                1,
                "RelatedEntityType",
                1,
                "Text",
                "job failed",
                "SeenDate",
                seen,
                "CreationDate",
                created);
    }

    private static Map<String, PolicyReport> byName(SweepReport report) {
        Map<String, PolicyReport> byName = new LinkedHashMap<>();
        report.policies().forEach(p -> byName.put(p.policy(), p));
        return byName;
    }

    private static Map<String, Long> matchedRows(Map<String, PolicyReport> reports) {
        Map<String, Long> rows = new LinkedHashMap<>();
        reports.forEach((name, report) -> rows.put(name, report.rows(report.table())));
        return rows;
    }

    private static TreeSet<String> ids(String... ids) {
        return new TreeSet<>(Set.of(ids));
    }

    private static TreeSet<String> ids(Connection c, String table) throws SQLException {
        TreeSet<String> ids = new TreeSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT \"Id\" FROM \"" + table + "\"")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Every row of every table as text, in a stable order: equal snapshots mean nothing changed. */
    private static List<String> snapshot(Database database) throws SQLException {
        List<String> all = new ArrayList<>();
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY \"Id\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringJoiner row = new StringJoiner("|", table + ":", "");
                        for (int i = 1; i <= n; i++) {
                            row.add(String.valueOf(rs.getObject(i)));
                        }
                        all.add(row.toString());
                    }
                }
            }
        }
        return all;
    }
}
