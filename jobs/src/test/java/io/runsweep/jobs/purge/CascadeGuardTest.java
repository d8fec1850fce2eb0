package io.runsweep.jobs.purge;

import static io.runsweep.jobs.PrefectHistory.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.PrefectHistory;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The case: a policy on Prefect's {@code flow} table, whose rows cascade to every flow run of the flow,
 * running or ended last week, beside the preset's flow-runs policy. It is refused up front, naming the key, the
 * counts and the fix; the fix deletes only flows without runs; the opt-in lets the cascade through and says what it
 * takes.
 */
class CascadeGuardTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String FLOWS = "runsweep.policies.flows { table = flow, time-column = created, older-than = 30d }";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aPolicyWhoseCascadeWouldTakeRunsFlowRunsKeepsIsRefusedUpFront(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            PrefectHistory.seed(db, 300, 120, NOW);
            Settings settings = settings(FLOWS);
            String cutoff = PrefectHistory.literal(db, NOW.minus(Duration.ofDays(30)));
            String reached = "FROM flow_run WHERE flow_id IN (SELECT id FROM flow WHERE created < " + cutoff + ")";
            long runs = count(db, "SELECT count(*) " + reached);
            long kept = count(
                    db,
                    "SELECT count(*) " + reached + " AND (end_time < " + cutoff
                            + " AND state_type IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')) IS NOT TRUE");
            long running = count(db, "SELECT count(*) " + reached + " AND state_type = 'RUNNING'");
            assertTrue(
                    running > 0 && kept > running && kept < runs, running + " running, " + kept + " kept of " + runs);
            long flows = count(db, "SELECT count(*) FROM flow");

            PolicyReport report = run(db, settings, "flows", new ArrayList<>());

            assertEquals(PolicyReport.Outcome.FAILED, report.outcome());
            String key = kind == DatabaseKind.SQLITE ? "fk_flow_run__flow_id" : "fk_flow_run__flow_id__flow";
            assertEquals(
                    String.format(
                            Locale.ROOT,
                            "refused: its cascade through foreign key %s (\"flow_run\".\"flow_id\" ON DELETE CASCADE)"
                                    + " would delete %,d \"flow_run\" rows, %,d of which policy flow-runs keeps"
                                    + " (flow-runs deletes only rows whose \"end_time\" is older than 30d and whose"
                                    + " \"state_type\" is one of COMPLETED, FAILED, CANCELLED, CRASHED). Add"
                                    + " unreferenced-by = [{table = \"flow_run\", column = \"flow_id\"}] to policy flows"
                                    + " (%s: 3), so that it deletes only \"flow\" rows no \"flow_run\" row refers to; or"
                                    + " set allow-cascade-conflicts = true on it to let its cascades take them",
                            key,
                            runs,
                            kept,
                            dir.resolve("runsweep.conf")),
                    report.error().orElseThrow());
            assertEquals(0, report.batches());
            assertEquals(flows, count(db, "SELECT count(*) FROM flow"));
            assertEquals(300, count(db, "SELECT count(*) FROM flow_run"));
        }
    }

    /**
     * The fix the refusal names: the policy then takes only the flows no run refers to, and the cascade nothing, of
     * which nothing is said before the first batch.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void itsFixDeletesOnlyTheFlowsWithoutRuns(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            PrefectHistory.seed(db, 300, 120, NOW);
            try (Connection c = db.connection()) {
                TestRows rows = new TestRows(c);
                rows.insert(
                        "flow",
                        "id",
                        TestRows.uuid(901),
                        "name",
                        "retired-a",
                        "created",
                        NOW.minus(Duration.ofDays(200)));
                rows.insert(
                        "flow",
                        "id",
                        TestRows.uuid(902),
                        "name",
                        "retired-b",
                        "created",
                        NOW.minus(Duration.ofDays(40)));
                rows.insert("flow", "id", TestRows.uuid(903), "name", "new", "created", NOW.minus(Duration.ofDays(2)));
            }
            long flows = count(db, "SELECT count(*) FROM flow");
            Settings settings = settings(
                    FLOWS, "runsweep.policies.flows.unreferenced-by = [{table = \"flow_run\", column = \"flow_id\"}]");

            List<String> told = new ArrayList<>();
            PolicyReport report = run(db, settings, "flows", told);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            assertEquals(2, report.rows("flow"));
            assertEquals(List.of(), told, "cascades counted to take no row are not announced");
            assertEquals(flows - 2, count(db, "SELECT count(*) FROM flow"));
            assertEquals(
                    0,
                    count(
                            db,
                            "SELECT count(*) FROM flow WHERE id IN ('" + TestRows.uuid(901) + "', '"
                                    + TestRows.uuid(902) + "')"));
            assertEquals(300, count(db, "SELECT count(*) FROM flow_run"));
        }
    }

    /**
     * With allow-cascade-conflicts the cascade may take what flow-runs keeps, and says so before its first batch;
     * the flows table would still be emptied, which allow-large-until lets through once.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theOptInLetsTheCascadeThroughAndSaysWhatItTakes(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            PrefectHistory.seed(db, 300, 120, NOW);
            long flows = count(db, "SELECT count(*) FROM flow");
            Settings optedIn = settings(FLOWS, "runsweep.policies.flows.allow-cascade-conflicts = true");

            PolicyReport emptied = run(db, optedIn, "flows", new ArrayList<>());

            assertEquals(PolicyReport.Outcome.FAILED, emptied.outcome());
            assertTrue(
                    emptied.error()
                            .orElseThrow()
                            .startsWith("refused: it would delete every row of \"flow\"; it would delete every row of"
                                    + " \"deployment\"; it would delete every row of \"flow_run\""),
                    emptied.error().orElseThrow());
            assertEquals(flows, count(db, "SELECT count(*) FROM flow"));

            List<String> told = new ArrayList<>();
            PolicyReport allowed = run(
                    db,
                    settings(
                            FLOWS,
                            "runsweep.policies.flows.allow-cascade-conflicts = true",
                            "runsweep.policies.flows.allow-large-until = \"2026-06-01T01:00:00Z\""),
                    "flows",
                    told);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    allowed.outcome(),
                    allowed.error().orElse(""));
            assertEquals(flows, allowed.rows("flow"));
            assertEquals(0, count(db, "SELECT count(*) FROM flow_run"));
            assertEquals(1, told.size(), told.toString());
            assertTrue(
                    told.get(0)
                            .matches("flows: deleting its \"flow\" rows also deletes, by ON DELETE CASCADE, .*300"
                                    + " \"flow_run\" rows .*; [\\d,]+ of the \"flow_run\" rows are kept by policy"
                                    + " flow-runs \\(allowed by allow-cascade-conflicts\\)"),
                    told.get(0));
        }
    }

    private Settings settings(String... lines) throws Exception {
        List<String> all =
                new ArrayList<>(List.of("runsweep.preset = prefect", "runsweep.policies.flow-runs.older-than = 30d"));
        all.addAll(List.of(lines));
        return TestSettings.load(dir, all.toArray(String[]::new));
    }

    /** One policy, as sweep --policy runs it: guarded by every enabled policy of the configuration. */
    private static PolicyReport run(Database db, Settings settings, String name, List<String> told) {
        PolicySettings policy = settings.policies().get(name);
        PurgeProgress progress = new PurgeProgress() {
            @Override
            public void batchCommitted(BatchEvent event) {}

            @Override
            public void beforeFirstBatch(String policy, String cascades) {
                told.add(policy + ": " + cascades);
            }
        };
        return new Sweep(db, TestSettings.runOptions(), Clock.fixed(NOW, ZoneOffset.UTC), new StopSignal())
                .guarding(settings.enabledPolicies())
                .run(List.of(policy), false, progress)
                .policies()
                .get(0);
    }
}
