package io.runsweep.jobs.sweep;

import static io.runsweep.sql.testing.TestRows.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A sweep that reports success has left no row its policy matched: the stock Prefect preset by block ranges,
 * on flow runs whose subflows its own cascades rewrite. Deleting a parent run deletes its task runs, and
 * Prefect's {@code flow_run.parent_task_run_id ... ON DELETE SET NULL} then rewrites each subflow's row. On
 * PostgreSQL the new version lands in another block: one the sweep has already passed (free space left by an
 * earlier VACUUM), or one past the end it planned.
 */
class SweepLeavesNothingDueTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final int OLD_RUNS = 400;
    private static final int YOUNG_RUNS = 120;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aBlockRangeSweepAlsoTakesTheSubflowsItsCascadesRewrote(DatabaseKind kind) throws Exception {
        sweepsEveryDueRun(kind, false);
    }

    /** An archiving run deletes the cascades itself; its final pass locks and copies what it finds by index. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anArchivingBlockRangeSweepAlsoArchivesWhatItsFinalPassTakes(DatabaseKind kind) throws Exception {
        sweepsEveryDueRun(kind, true);
    }

    private void sweepsEveryDueRun(DatabaseKind kind, boolean archived) throws Exception {
        try (Database database = TestDatabases.open(kind, dir)) {
            try (Connection c = database.connection()) {
                PrefectSchema.create(c, SchemaDialect.of(kind));
                seed(c);
            }
            Settings settings = TestSettings.load(
                    dir,
                    "runsweep.preset = prefect",
                    "runsweep.batch { min-size = 1, max-size = 20 }",
                    "runsweep.policies.flow-runs { " + (archived ? "archive.schema = runsweep_archive, " : "")
                            + "older-than = 30d, strategy = block-range, batch-size = 5 }");

            SweepReport sweep = new Sweep(
                            database,
                            new RunOptions(Duration.ofSeconds(2), settings.batch(), false),
                            Clock.fixed(NOW, ZoneOffset.UTC),
                            new StopSignal())
                    .run(settings.enabledPolicies().subList(0, 1), false, PurgeProgress.NONE);

            PolicyReport flowRuns = sweep.policies().get(0);
            assertEquals(PolicyReport.Outcome.SUCCEEDED, flowRuns.outcome(), flowRuns.toString());
            assertEquals(Optional.empty(), flowRuns.stop());
            assertEquals(OLD_RUNS, flowRuns.rows("flow_run"), flowRuns.notes().toString());
            assertEquals(OLD_RUNS, flowRuns.rows("log"));
            if (kind == DatabaseKind.POSTGRESQL) {
                assertTrue(
                        flowRuns.notes().stream()
                                .anyMatch(n -> n.endsWith("left after the batches; a pass by index followed")),
                        flowRuns.notes().toString());
            }
            try (Connection c = database.connection()) {
                TestRows rows = new TestRows(c);
                TreeSet<String> young = new TreeSet<>();
                for (int i = 0; i < YOUNG_RUNS; i++) {
                    young.add(run(i));
                }
                assertEquals(young, rows.ids("flow_run"));
                assertEquals(YOUNG_RUNS, rows.count("task_run"));
                assertEquals(YOUNG_RUNS, rows.count("log"));
                if (archived) {
                    String archive = kind == DatabaseKind.POSTGRESQL ? "runsweep_archive." : "runsweep_archive__";
                    for (String table : java.util.List.of("flow_run", "task_run", "log")) {
                        try (Statement s = c.createStatement();
                                java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM " + archive + table)) {
                            rs.next();
                            assertEquals(OLD_RUNS, rs.getLong(1), "archived rows of " + table);
                        }
                    }
                }
            }
        }
    }

    /**
     * Young runs first, then a chain of old runs, each the subflow of a task of the run before it. Then most
     * young runs go again and the table is vacuumed: the blocks a sweep passes first have room, the blocks of
     * the chain none, so a rewritten subflow moves back into a block the sweep has passed.
     */
    private static void seed(Connection c) throws Exception {
        TestRows rows = new TestRows(c);
        rows.insert("flow", "id", uuid(1), "name", "etl");
        for (int i = 0; i < 3 * YOUNG_RUNS; i++) {
            flowRun(rows, i, NOW.minus(Duration.ofDays(1)), null);
        }
        for (int i = 0; i < YOUNG_RUNS; i++) {
            taskRun(rows, i);
            log(rows, i);
        }
        for (int i = 1_000; i < 1_000 + OLD_RUNS; i++) {
            flowRun(rows, i, NOW.minus(Duration.ofDays(60)).plusSeconds(i), i == 1_000 ? null : task(i - 1));
            taskRun(rows, i);
            log(rows, i);
        }
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM flow_run WHERE name BETWEEN 'run-" + pad(YOUNG_RUNS) + "' AND 'run-00999'");
            s.execute(rows.postgres() ? "VACUUM flow_run" : "VACUUM");
        }
    }

    private static void flowRun(TestRows rows, int i, Instant end, String parentTask) throws Exception {
        rows.insert(
                "flow_run",
                "id",
                run(i),
                "name",
                "run-" + pad(i),
                "flow_id",
                uuid(1),
                "state_type",
                "COMPLETED",
                "end_time",
                end,
                "parent_task_run_id",
                parentTask);
    }

    private static void taskRun(TestRows rows, int i) throws Exception {
        rows.insert(
                "task_run",
                "id",
                task(i),
                "name",
                "task-" + i,
                "task_key",
                "k",
                "dynamic_key",
                String.valueOf(i),
                "flow_run_id",
                run(i),
                "state_type",
                "COMPLETED",
                "end_time",
                NOW.minus(Duration.ofDays(60)));
    }

    private static void log(TestRows rows, int i) throws Exception {
        rows.insert(
                "log",
                "id",
                uuid(300_000 + i),
                "name",
                "prefect.flow_runs",
                "level",
                20,
                "flow_run_id",
                run(i),
                "message",
                "line",
                "timestamp",
                NOW.minus(Duration.ofDays(1)));
    }

    private static String run(int i) {
        return uuid(100_000 + i);
    }

    private static String task(int i) {
        return uuid(200_000 + i);
    }

    private static String pad(int i) {
        return String.format("%05d", i);
    }
}
