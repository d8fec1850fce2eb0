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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hand-made Prefect history with every edge case the preset must get right, and the exact rows that must
 * be left. Runs against any database that already has Prefect's tables: the project's fixture, or
 * Prefect's real schema.
 */
public final class PrefectScenario {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final List<String> TABLES = List.of(
            "flow",
            "flow_run",
            "flow_run_state",
            "task_run",
            "task_run_state",
            "log",
            "artifact",
            "events",
            "event_resources",
            "artifact_collection");

    /** The Prefect preset's policies, in the order they run. */
    public static final List<String> POLICIES = List.of(
            "flow-runs", "task-runs", "logs", "events", "event-resources", "orphan-artifacts", "orphan-collections");

    static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    // Flow runs
    static final String OLD_COMPLETED = uuid(101);
    static final String OLD_FAILED = uuid(102);
    static final String OLD_RUNNING = uuid(103);
    static final String OLD_RUNNING_WITH_END = uuid(104);
    static final String OLD_COMPLETED_NO_END = uuid(105);
    static final String NEW_COMPLETED = uuid(106);
    static final String NEW_PARENT = uuid(107);
    static final String OLD_SUBFLOW_OF_NEW = uuid(108);
    static final String OLD_PARENT = uuid(109);
    static final String NEW_SUBFLOW_OF_OLD = uuid(110);
    static final String OLD_CANCELLED = uuid(111);
    static final String OLD_CRASHED = uuid(112);
    static final String OLD_PAUSED = uuid(113);

    private PrefectScenario() {}

    /** Seeds the scenario, dry-runs the preset (asserting nothing changes), sweeps, and checks what is left. */
    static SweepReport run(Database database) throws Exception {
        Settings settings =
                SettingsLoader.load(Optional.empty(), Map.of("RUNSWEEP_PRESET", "prefect"), c -> Optional.empty());
        try (Connection c = database.connection()) {
            seed(new TestRows(c));
        }
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        List<String> before;
        try (Connection c = database.connection()) {
            before = new TestRows(c).snapshot(TABLES);
        }

        SweepReport preview;
        try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
            preview = new Sweep(readOnly, TestSettings.runOptions(), clock, new StopSignal())
                    .run(settings.enabledPolicies(), true, PurgeProgress.NONE);
        }
        try (Connection c = database.connection()) {
            assertEquals(before, new TestRows(c).snapshot(TABLES), "a dry run changed the database");
        }
        PolicyReport flowRuns = preview.policies().get(0);
        assertEquals("flow-runs", flowRuns.policy());
        assertEquals(
                PolicyReport.Outcome.PREVIEWED,
                flowRuns.outcome(),
                flowRuns.error().orElse(""));
        // OLD_COMPLETED, OLD_FAILED, OLD_SUBFLOW_OF_NEW, OLD_PARENT, OLD_CANCELLED, OLD_CRASHED
        assertEquals(6, flowRuns.rows("flow_run"));
        assertEquals(5, flowRuns.rows("log"));
        assertEquals(1, flowRuns.rows("artifact"));
        assertEquals(2, flowRuns.rows("task_run"));
        assertEquals(2, flowRuns.rows("task_run_state"));
        assertEquals(7, flowRuns.rows("flow_run_state"));

        SweepReport sweep = new Sweep(database, TestSettings.runOptions(), clock, new StopSignal())
                .run(settings.enabledPolicies(), false, PurgeProgress.NONE);
        for (PolicyReport report : sweep.policies()) {
            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.policy() + ": " + report.error());
        }
        assertEquals(
                POLICIES, sweep.policies().stream().map(PolicyReport::policy).toList());
        assertEquals(6, sweep.policies().get(0).rows("flow_run"));
        assertEquals(5, sweep.policies().get(0).rows("log"));
        assertEquals(
                List.of(1L, 1L, 1L),
                List.of(
                        sweep.policies().get(1).rows("task_run"),
                        sweep.policies().get(1).rows("log"),
                        sweep.policies().get(1).rows("artifact")));
        assertEquals(2, sweep.policies().get(2).rows("log"));
        assertEquals(
                List.of(1L, 3L),
                List.of(
                        sweep.policies().get(3).rows("events"),
                        sweep.policies().get(3).rows("event_resources")));
        assertEquals(1, sweep.policies().get(4).rows("event_resources"));
        assertEquals(1, sweep.policies().get(5).rows("artifact"));
        assertEquals(1, sweep.policies().get(6).rows("artifact_collection"));

        try (Connection c = database.connection()) {
            TestRows rows = new TestRows(c);
            assertEquals(
                    ids(
                            OLD_RUNNING,
                            OLD_RUNNING_WITH_END,
                            OLD_COMPLETED_NO_END,
                            NEW_COMPLETED,
                            NEW_PARENT,
                            NEW_SUBFLOW_OF_OLD,
                            OLD_PAUSED),
                    rows.ids("flow_run"));
            assertEquals(
                    ids(uuid(303), uuid(304), uuid(305), uuid(306), uuid(307), uuid(310)), rows.ids("flow_run_state"));
            assertEquals(ids(uuid(207), uuid(221), uuid(223)), rows.ids("task_run"));
            assertEquals(ids(uuid(407), uuid(421), uuid(423)), rows.ids("task_run_state"));
            assertEquals(ids(uuid(506), uuid(510), uuid(521), uuid(530)), rows.ids("log"));
            // 602 lost its flow run long ago; 603 too, but within the hour's margin.
            assertEquals(ids(uuid(603), uuid(606)), rows.ids("artifact"));
            // 902's key has no artifact left once flow-runs took 601; 903 is within the margin.
            assertEquals(ids(uuid(901), uuid(903)), rows.ids("artifact_collection"));
            assertEquals(ids(uuid(702)), rows.ids("events"));
            assertEquals(ids(uuid(804), uuid(805)), rows.ids("event_resources"));
            assertEquals(ids(uuid(1)), rows.ids("flow"));
        }
        return sweep;
    }

    private static TreeSet<String> ids(String... ids) {
        return new TreeSet<>(Set.of(ids));
    }

    static void seed(TestRows rows) throws Exception {
        rows.insert("flow", "id", uuid(1), "name", "etl");
        flowRun(rows, OLD_COMPLETED, "COMPLETED", daysAgo(100), null);
        flowRun(rows, OLD_FAILED, "FAILED", daysAgo(95), null);
        flowRun(rows, OLD_RUNNING, "RUNNING", null, null);
        flowRun(rows, OLD_RUNNING_WITH_END, "RUNNING", daysAgo(300), null);
        flowRun(rows, OLD_COMPLETED_NO_END, "COMPLETED", null, null);
        flowRun(rows, NEW_COMPLETED, "COMPLETED", daysAgo(10), null);
        flowRun(rows, NEW_PARENT, "COMPLETED", daysAgo(5), null);
        flowRun(rows, OLD_PARENT, "COMPLETED", daysAgo(120), null);
        flowRun(rows, OLD_CANCELLED, "CANCELLED", daysAgo(91), null);
        flowRun(rows, OLD_CRASHED, "CRASHED", daysAgo(200), null);
        flowRun(rows, OLD_PAUSED, "PAUSED", daysAgo(200), null);
        // Task runs of parents, each with one state; the subflows hang off them.
        taskRun(rows, uuid(207), NEW_PARENT, "COMPLETED", daysAgo(5), uuid(407));
        taskRun(rows, uuid(209), OLD_PARENT, "COMPLETED", daysAgo(120), uuid(409));
        taskRun(rows, uuid(201), OLD_COMPLETED, "COMPLETED", daysAgo(100), uuid(401));
        flowRun(rows, OLD_SUBFLOW_OF_NEW, "COMPLETED", daysAgo(120), uuid(207));
        flowRun(rows, NEW_SUBFLOW_OF_OLD, "COMPLETED", daysAgo(3), uuid(209));
        // Autonomous task runs (no flow run): judged by the task-runs policy.
        taskRun(rows, uuid(220), null, "COMPLETED", daysAgo(100), uuid(420));
        taskRun(rows, uuid(221), null, "COMPLETED", daysAgo(10), uuid(421));
        taskRun(rows, uuid(223), null, "RUNNING", null, uuid(423));
        // Flow-run states: one per run numbered 3xx (two for OLD_COMPLETED, one extra for OLD_PARENT).
        String[] runs = {
            OLD_COMPLETED,
            OLD_FAILED,
            OLD_RUNNING,
            OLD_RUNNING_WITH_END,
            OLD_COMPLETED_NO_END,
            NEW_COMPLETED,
            NEW_PARENT,
            OLD_SUBFLOW_OF_NEW,
            OLD_PARENT,
            NEW_SUBFLOW_OF_OLD,
            OLD_CANCELLED,
            OLD_CRASHED
        };
        for (int i = 0; i < runs.length; i++) {
            rows.insert(
                    "flow_run_state",
                    "id",
                    uuid(301 + i),
                    "type",
                    "COMPLETED",
                    "name",
                    "Completed",
                    "flow_run_id",
                    runs[i],
                    "timestamp",
                    daysAgo(1));
        }
        rows.insert(
                "flow_run_state",
                "id",
                uuid(320),
                "type",
                "PENDING",
                "name",
                "Pending",
                "flow_run_id",
                OLD_PARENT,
                "timestamp",
                daysAgo(121));
        // Logs: of deleted runs (go with them), of kept runs, orphans old and new.
        log(rows, uuid(501), OLD_COMPLETED, null, daysAgo(100));
        log(rows, uuid(502), OLD_COMPLETED, uuid(201), daysAgo(100));
        log(rows, uuid(503), OLD_FAILED, null, daysAgo(1)); // recent line of an old run: goes with its run
        log(rows, uuid(504), OLD_SUBFLOW_OF_NEW, null, daysAgo(120));
        log(rows, uuid(505), OLD_PARENT, null, daysAgo(120));
        log(rows, uuid(506), NEW_COMPLETED, null, daysAgo(10));
        log(rows, uuid(507), OLD_RUNNING, null, daysAgo(150)); // kept run, but the logs policy takes old lines
        log(rows, uuid(510), NEW_SUBFLOW_OF_OLD, null, daysAgo(3));
        log(rows, uuid(520), null, uuid(220), daysAgo(100)); // autonomous task run's log
        log(rows, uuid(521), null, uuid(221), daysAgo(10));
        log(rows, uuid(529), uuid(999), null, daysAgo(91)); // orphan, old
        log(rows, uuid(530), uuid(999), null, daysAgo(89)); // orphan, within retention
        artifact(rows, uuid(601), OLD_COMPLETED, null, "gone", daysAgo(100));
        artifact(rows, uuid(606), NEW_COMPLETED, null, "report", daysAgo(10));
        artifact(rows, uuid(620), null, uuid(220), null, daysAgo(100));
        artifact(rows, uuid(602), uuid(998), null, null, daysAgo(5)); // its flow run was deleted through the API
        artifact(rows, uuid(603), uuid(998), null, null, NOW.minus(Duration.ofMinutes(10)));
        collection(rows, uuid(901), "report", uuid(601), daysAgo(100));
        collection(rows, uuid(902), "gone", uuid(601), daysAgo(100));
        collection(rows, uuid(903), "fresh", uuid(604), NOW.minus(Duration.ofMinutes(10)));
        // Events: old with 3 resources, new with 2; an old resource whose event is gone.
        event(rows, uuid(701), daysAgo(8));
        event(rows, uuid(702), daysAgo(1));
        resource(rows, uuid(801), uuid(701), daysAgo(8));
        resource(rows, uuid(802), uuid(701), daysAgo(8));
        resource(rows, uuid(803), uuid(701), daysAgo(8));
        resource(rows, uuid(804), uuid(702), daysAgo(1));
        resource(rows, uuid(805), uuid(702), daysAgo(1));
        resource(rows, uuid(809), uuid(799), daysAgo(30));
    }

    static void flowRun(TestRows rows, String id, String state, Instant end, String parentTaskRun) throws Exception {
        rows.insert(
                "flow_run",
                "id",
                id,
                "name",
                "run-" + id.substring(24),
                "flow_id",
                uuid(1),
                "state_type",
                state,
                "end_time",
                end,
                "parent_task_run_id",
                parentTaskRun);
    }

    private static void taskRun(TestRows rows, String id, String flowRun, String state, Instant end, String stateId)
            throws Exception {
        rows.insert(
                "task_run",
                "id",
                id,
                "name",
                "task-" + id.substring(24),
                "task_key",
                "k",
                "dynamic_key",
                id.substring(24),
                "flow_run_id",
                flowRun,
                "state_type",
                state,
                "end_time",
                end);
        rows.insert(
                "task_run_state",
                "id",
                stateId,
                "type",
                state,
                "name",
                state,
                "task_run_id",
                id,
                "timestamp",
                end == null ? NOW : end);
    }

    private static void artifact(TestRows rows, String id, String flowRun, String taskRun, String key, Instant at)
            throws Exception {
        rows.insert(
                "artifact",
                "id",
                id,
                "flow_run_id",
                flowRun,
                "task_run_id",
                taskRun,
                "key",
                key,
                "created",
                at,
                "updated",
                at);
    }

    private static void collection(TestRows rows, String id, String key, String latest, Instant at) throws Exception {
        rows.insert("artifact_collection", "id", id, "key", key, "latest_id", latest, "created", at, "updated", at);
    }

    private static void log(TestRows rows, String id, String flowRun, String taskRun, Instant at) throws Exception {
        rows.insert(
                "log",
                "id",
                id,
                "name",
                "prefect.flow_runs",
                "level",
                20,
                "flow_run_id",
                flowRun,
                "task_run_id",
                taskRun,
                "message",
                "line " + id.substring(24),
                "timestamp",
                at);
    }

    private static void event(TestRows rows, String id, Instant at) throws Exception {
        event(rows, id, "prefect.flow-run.Completed", at);
    }

    static void event(TestRows rows, String id, String type, Instant at) throws Exception {
        rows.insert(
                "events",
                "id",
                id,
                "occurred",
                at,
                "event",
                type,
                "resource_id",
                "prefect.flow-run." + uuid(1),
                "resource",
                "{}",
                "payload",
                "{}",
                "received",
                at,
                "recorded",
                at);
    }

    private static void resource(TestRows rows, String id, String event, Instant at) throws Exception {
        rows.insert(
                "event_resources",
                "id",
                id,
                "occurred",
                at,
                "resource_id",
                "prefect.flow-run." + uuid(1),
                "resource_role",
                "related",
                "resource",
                "{}",
                "event_id",
                event);
    }
}
