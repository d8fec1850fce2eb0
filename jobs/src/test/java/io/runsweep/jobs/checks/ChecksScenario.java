package io.runsweep.jobs.checks;

import static io.runsweep.sql.testing.TestRows.uuid;

import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * A small Prefect history whose every check result is known: on 2026-06-01, flow-runs (90 days) has 3 runs
 * past retention, the oldest finished 200 days ago; 2 runs are stuck; logs (90 days) has 2 of its 4 lines
 * past retention, the oldest 120 days old; there are no task runs, artifacts or events.
 */
public final class ChecksScenario {
    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    public static final String COMPLETED_OLD = uuid(101);
    public static final String RUNNING_FOR_300_DAYS = uuid(104);
    public static final String COMPLETED_RECENT = uuid(103);

    private ChecksScenario() {}

    public static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    public static Instant daysAgo(int days) {
        return ago(Duration.ofDays(days));
    }

    /** A database with Prefect's tables (the project's fixture) and nothing in them. */
    public static Database emptyPrefect(DatabaseKind kind, Path dir) throws Exception {
        Database database = TestDatabases.open(kind, dir);
        try (Connection c = database.connection()) {
            PrefectSchema.create(c, SchemaDialect.of(kind));
        }
        return database;
    }

    public static void seed(TestRows rows) throws Exception {
        rows.insert("flow", "id", uuid(1), "name", "etl");
        flowRun(rows, COMPLETED_OLD, "COMPLETED", null, daysAgo(100)); // past retention
        flowRun(rows, uuid(102), "FAILED", null, daysAgo(95)); // past retention
        flowRun(rows, COMPLETED_RECENT, "COMPLETED", null, daysAgo(10));
        flowRun(rows, RUNNING_FOR_300_DAYS, "RUNNING", daysAgo(300), null); // stuck
        flowRun(rows, uuid(105), "RUNNING", ago(Duration.ofHours(2)), null);
        pending(rows, uuid(106), daysAgo(3)); // stuck, by expected_start_time
        pending(rows, uuid(107), ago(Duration.ofHours(1)));
        flowRun(rows, uuid(108), "COMPLETED", null, null); // never finished: never deleted
        flowRun(rows, uuid(109), "CRASHED", null, daysAgo(200)); // past retention, the oldest
        rows.insert(
                "flow_run",
                "id",
                uuid(110),
                "name",
                "scheduled",
                "flow_id",
                uuid(1),
                "state_type",
                "SCHEDULED",
                "expected_start_time",
                daysAgo(10));
        log(rows, uuid(501), daysAgo(120));
        log(rows, uuid(502), daysAgo(91));
        log(rows, uuid(503), daysAgo(89));
        log(rows, uuid(504), daysAgo(1));
    }

    private static void flowRun(TestRows rows, String id, String state, Instant start, Instant end) throws Exception {
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
                "start_time",
                start,
                "end_time",
                end);
    }

    private static void pending(TestRows rows, String id, Instant expected) throws Exception {
        rows.insert(
                "flow_run",
                "id",
                id,
                "name",
                "run-" + id.substring(24),
                "flow_id",
                uuid(1),
                "state_type",
                "PENDING",
                "expected_start_time",
                expected);
    }

    private static void log(TestRows rows, String id, Instant at) throws Exception {
        rows.insert(
                "log",
                "id",
                id,
                "name",
                "prefect.flow_runs",
                "level",
                20,
                "flow_run_id",
                COMPLETED_RECENT,
                "message",
                "line " + id.substring(24),
                "timestamp",
                at);
    }

    /** The Prefect preset, exact counts, and the given lines inside {@code runsweep { }}. */
    public static Settings settings(Path dir, String... lines) throws Exception {
        Path file = dir.resolve("runsweep.conf");
        Files.writeString(
                file,
                "runsweep {\n  preset = prefect\n  checks.exact-counts = true\n" + String.join("\n", lines) + "\n}\n");
        return SettingsLoader.load(Optional.of(file), Map.of(), c -> Optional.empty());
    }
}
