package io.runsweep.jobs.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Assertions shared by the SQLite and PostgreSQL seeding tests; SQL valid on both. */
final class SeedChecks {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final int DAYS = 30;
    static final int FLOW_RUNS = 500;
    static final List<String> TABLES = List.of(
            "flow",
            "deployment",
            "flow_run",
            "flow_run_state",
            "flow_run_input",
            "task_run",
            "task_run_state",
            "log",
            "artifact",
            "events",
            "event_resources");

    /** Prefect's keys and their ON DELETE actions, as "table.column -> table ON DELETE action". */
    static final Set<String> FOREIGN_KEYS = new TreeSet<>(List.of(
            "deployment.flow_id -> flow ON DELETE CASCADE",
            "flow_run.flow_id -> flow ON DELETE CASCADE",
            "flow_run.state_id -> flow_run_state ON DELETE SET NULL",
            "flow_run.parent_task_run_id -> task_run ON DELETE SET NULL",
            "flow_run_state.flow_run_id -> flow_run ON DELETE CASCADE",
            "flow_run_state.result_artifact_id -> artifact ON DELETE SET NULL",
            "flow_run_input.flow_run_id -> flow_run ON DELETE CASCADE",
            "task_run.flow_run_id -> flow_run ON DELETE CASCADE",
            "task_run_state.task_run_id -> task_run ON DELETE CASCADE",
            "task_run_state.result_artifact_id -> artifact ON DELETE SET NULL"));

    /**
     * Prefect's six indexes on log, every one of which each deleted log row updates (the primary key's index comes
     * beside them): the bench's SQLite log is built from this schema, and issue 12 measures it "with all its indexes".
     */
    static final List<String> LOG_INDEXES = List.of(
            "ix_log__flow_run_id",
            "ix_log__flow_run_id_timestamp",
            "ix_log__level",
            "ix_log__task_run_id",
            "ix_log__timestamp",
            "ix_log__updated");

    private static final String NON_TERMINAL = "('SCHEDULED', 'PENDING', 'RUNNING', 'PAUSED', 'CANCELLING')";
    private static final String TERMINAL = "('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')";

    private SeedChecks() {}

    static SeedOptions options(long seed) {
        return SeedOptions.builder()
                .flowRuns(FLOW_RUNS)
                .days(DAYS)
                .seed(seed)
                .now(NOW)
                .build();
    }

    static void assertEmptyTables(Connection c) throws SQLException {
        for (String table : TABLES) {
            assertEquals(0, count(c, "SELECT count(*) FROM " + table), table);
        }
    }

    static void assertCountsMatch(Connection c, SeedReport report) throws SQLException {
        assertEquals(TABLES, List.copyOf(report.rowsByTable().keySet()));
        for (Map.Entry<String, Long> entry : report.rowsByTable().entrySet()) {
            assertEquals(entry.getValue(), count(c, "SELECT count(*) FROM " + entry.getKey()), entry.getKey());
        }
        assertEquals(FLOW_RUNS, report.rows("flow_run"));
    }

    /** The shape every seeded history must have; {@code time} binds an instant the dialect's way. */
    static void assertRealisticHistory(Connection c, SchemaDialect dialect) throws SQLException {
        Object windowStart = time(dialect, NOW.minus(java.time.Duration.ofDays(DAYS)));
        Object now = time(dialect, NOW);
        long runs = count(c, "SELECT count(*) FROM flow_run");

        assertEquals(
                0,
                count(
                        c,
                        "SELECT count(*) FROM flow_run WHERE state_type IN " + NON_TERMINAL
                                + " AND end_time IS NOT NULL"),
                "non-terminal runs with an end_time");
        assertEquals(
                0,
                count(c, "SELECT count(*) FROM flow_run WHERE state_type = 'RUNNING' AND start_time IS NULL"),
                "RUNNING runs without start_time");
        assertEquals(
                0,
                count(c, "SELECT count(*) FROM flow_run WHERE end_time < ? OR end_time > ?", windowStart, now),
                "end_time outside [now - days, now]");
        assertTrue(count(c, "SELECT count(*) FROM flow_run WHERE end_time IS NOT NULL") > runs * 8 / 10);

        assertEquals(
                runs,
                count(
                        c,
                        "SELECT count(*) FROM flow_run f JOIN flow_run_state s ON s.id = f.state_id"
                                + " WHERE s.flow_run_id = f.id AND s.type = f.state_type AND s.name = f.state_name"),
                "state_id matches");
        assertEquals(
                0,
                count(
                        c,
                        "SELECT count(*) FROM flow_run f JOIN flow_run_state s ON s.id = f.state_id"
                                + " WHERE EXISTS (SELECT 1 FROM flow_run_state later WHERE later.flow_run_id = f.id"
                                + " AND later.\"timestamp\" > s.\"timestamp\")"),
                "state_id is the latest state");
        assertEquals(
                0,
                count(
                        c,
                        "SELECT count(*) FROM flow_run f WHERE (SELECT count(*) FROM flow_run_state s"
                                + " WHERE s.flow_run_id = f.id) NOT BETWEEN 2 AND 3"),
                "runs without 2-3 states");
        assertEquals(
                0,
                count(
                        c,
                        "SELECT count(*) FROM task_run t WHERE (SELECT count(*) FROM task_run_state s"
                                + " WHERE s.task_run_id = t.id) NOT BETWEEN 1 AND 2"),
                "task runs without 1-2 states");

        long completed = count(c, "SELECT count(*) FROM flow_run WHERE state_type = 'COMPLETED'");
        assertTrue(
                completed > runs * 7 / 10 && completed < runs * 9 / 10, "COMPLETED share: " + completed + "/" + runs);
        assertTrue(count(c, "SELECT count(*) FROM flow_run WHERE state_type = 'FAILED'") > 0);

        long subflows = count(c, "SELECT count(*) FROM flow_run WHERE parent_task_run_id IS NOT NULL");
        assertTrue(subflows > 0, "subflows");
        assertEquals(
                subflows,
                count(
                        c,
                        "SELECT count(*) FROM flow_run f JOIN task_run t ON t.id = f.parent_task_run_id"
                                + " WHERE t.flow_run_id <> f.id"),
                "subflow parents are tasks of other runs");
        assertTrue(
                count(c, "SELECT count(*) FROM flow_run WHERE state_type IN " + TERMINAL + " AND end_time IS NULL") > 0,
                "terminal runs without end_time");
        assertTrue(count(c, "SELECT count(*) FROM task_run WHERE flow_run_id IS NULL") > 0, "autonomous task runs");
        assertTrue(
                count(
                                c,
                                "SELECT count(*) FROM log l WHERE l.flow_run_id IS NOT NULL"
                                        + " AND NOT EXISTS (SELECT 1 FROM flow_run f WHERE f.id = l.flow_run_id)")
                        > 0,
                "orphan logs");
        assertTrue(count(c, "SELECT count(*) FROM log WHERE flow_run_id IS NOT NULL AND task_run_id IS NOT NULL") > 0);
        assertTrue(count(c, "SELECT count(*) FROM artifact") > 0);
        assertTrue(count(c, "SELECT count(*) FROM flow_run_state WHERE result_artifact_id IS NOT NULL") > 0);

        assertEquals(
                0,
                count(
                        c,
                        "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM flow_run f"
                                + " WHERE e.resource_id = 'prefect.flow-run.' || f.id)"),
                "events about no seeded run");
        assertEquals(
                0,
                count(
                        c,
                        "SELECT count(*) FROM events e WHERE (SELECT count(*) FROM event_resources r"
                                + " WHERE r.event_id = e.id AND r.occurred = e.occurred) <> 3"),
                "events without their 3 resources");
        assertEquals(
                0,
                count(
                        c,
                        "SELECT count(*) FROM events WHERE occurred > ? OR received > ? OR recorded > ?",
                        now,
                        now,
                        now),
                "events after now");
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                query.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** An instant as a query parameter: on SQLite the text Prefect writes, else an OffsetDateTime. */
    static Object time(SchemaDialect dialect, Instant instant) {
        if (dialect == SchemaDialect.SQLITE) {
            return DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS")
                    .withZone(ZoneOffset.UTC)
                    .format(instant);
        }
        return instant.atOffset(ZoneOffset.UTC);
    }
}
