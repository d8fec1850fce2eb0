package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it, against a seeded SQLite file: output, exit codes, and the rows left. */
class SweepCommandTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    static final List<String> TABLES = List.of(
            "flow_run", "flow_run_state", "task_run", "task_run_state", "log", "artifact", "events", "event_resources");

    @TempDir
    Path dir;

    Path db;
    Path config;

    @BeforeEach
    void seed() throws Exception {
        db = dir.resolve("prefect.db");
        Cli seeded = Cli.run(
                Map.of(),
                CLOCK,
                "seed",
                "--preset",
                "prefect",
                "--url",
                "sqlite:///" + db,
                "--flow-runs",
                "400",
                "--days",
                "120");
        assertEquals(0, seeded.exitCode(), seeded.err());
        config = dir.resolve("runsweep.conf");
        Files.writeString(
                config, "runsweep {\n  preset = prefect\n  database.url = \"sqlite+aiosqlite:///" + db + "\"\n}\n");
    }

    @Test
    void dryRunChangesNothingAndShowsCutoffRowsSqlAndIndex() throws Exception {
        List<String> before = snapshot();
        Cli cli = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--dry-run");
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(before, snapshot());
        assertTrue(cli.out().startsWith("DRY RUN: nothing was changed."), cli.out());
        assertTrue(
                cli.out().contains("policy flow-runs (table flow_run)\n  cutoff: rows older than 2026-03-03T00:00:00Z"),
                cli.out());
        long expiredRuns = scalar("SELECT count(*) FROM flow_run WHERE end_time < '2026-03-03 00:00:00.000000'"
                + " AND state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')");
        assertTrue(expiredRuns > 40, "the seed has a backlog of flow runs: " + expiredRuns);
        assertTrue(
                cli.out()
                        .contains(String.format(
                                Locale.ROOT,
                                "  strategy index: about %,d of 400 rows (%.1f%%)"
                                        + " match; this database frees deleted rows at once, so index lookups stay cheap however much goes\n",
                                expiredRuns,
                                expiredRuns / 4.0)),
                cli.out());
        assertTrue(
                cli.out()
                        .contains("    DELETE FROM \"flow_run\" WHERE rowid IN (SELECT value FROM json_each(?))"
                                + " RETURNING \"id\"\n"
                                + "      -- $1 = <the rowids the SELECT below finds, in the same transaction>\n"
                                + "    SELECT rowid FROM \"flow_run\" WHERE (substr(\"end_time\", 11, 1) = ' ' AND"
                                + " \"end_time\" < ?) AND \"state_type\" IN (?, ?, ?, ?) LIMIT ?\n"
                                + "      -- $1 = '2026-03-03 00:00:00', $2 = 'COMPLETED', $3 = 'FAILED', $4 = 'CANCELLED',"
                                + " $5 = 'CRASHED', $6 = <batch size>\n"
                                + "    -- plan: flow_run: index rowid, index ix_flow_run__"),
                cli.out());
        assertTrue(cli.out().contains("  strategy index: about 1 of "), cli.out());
        assertTrue(cli.out().contains("-- plan: log: index ix_log__task_run_id\n"), cli.out());
        assertTrue(cli.out().contains("-- plan: event_resources: index ix_event_resources__event_id\n"), cli.out());
        assertTrue(
                cli.out()
                        .matches("(?s).*\n    flow_run +" + String.format("%,d", expiredRuns)
                                + "  \\(matched by the policy\\).*"),
                cli.out());
    }

    @Test
    void sweepDeletesExactlyWhatThePresetCoversAndSaysSo() throws Exception {
        long nonTerminalOld = scalar("SELECT count(*) FROM flow_run WHERE state_type NOT IN"
                + " ('COMPLETED','FAILED','CANCELLED','CRASHED') AND created < '2026-03-03'");
        long recent = scalar("SELECT count(*) FROM flow_run WHERE end_time >= '2026-03-03 00:00:00.000000'");
        long expiredRuns = scalar("SELECT count(*) FROM flow_run WHERE end_time < '2026-03-03 00:00:00.000000'"
                + " AND state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')");

        String expired = "SELECT id FROM flow_run WHERE end_time < '2026-03-03 00:00:00.000000'"
                + " AND state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')";
        String cascades = String.format(
                Locale.ROOT,
                "flow-runs: deleting its \"flow_run\" rows also deletes, by ON DELETE CASCADE, %,d \"flow_run_input\""
                        + " rows (fk_flow_run_input__flow_run_id), %,d \"flow_run_state\" rows"
                        + " (fk_flow_run_state__flow_run_id), %,d \"task_run\" rows (fk_task_run__flow_run_id), %,d"
                        + " \"task_run_state\" rows (fk_task_run_state__task_run_id)\n",
                scalar("SELECT count(*) FROM flow_run_input WHERE flow_run_id IN (" + expired + ")"),
                scalar("SELECT count(*) FROM flow_run_state WHERE flow_run_id IN (" + expired + ")"),
                scalar("SELECT count(*) FROM task_run WHERE flow_run_id IN (" + expired + ")"),
                scalar("SELECT count(*) FROM task_run_state WHERE task_run_id IN"
                        + " (SELECT id FROM task_run WHERE flow_run_id IN (" + expired + "))"));

        Cli cli = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString());

        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.err().startsWith(cascades), "before its first batch, what the cascades take:\n" + cli.err());
        assertTrue(
                cli.out().matches("(?s)flow-runs +flow_run +" + String.format("%,d", expiredRuns) + " rows .*"),
                cli.out());
        assertTrue(
                cli.out().endsWith("7 policies, 0 failed (" + cli.out().replaceAll("(?s).*failed \\(", "")), cli.out());
        assertEquals(
                0,
                scalar("SELECT count(*) FROM flow_run WHERE end_time < '2026-03-03 00:00:00.000000'"
                        + " AND state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')"));
        assertEquals(
                nonTerminalOld,
                scalar("SELECT count(*) FROM flow_run WHERE state_type NOT IN"
                        + " ('COMPLETED','FAILED','CANCELLED','CRASHED') AND created < '2026-03-03'"));
        assertEquals(recent, scalar("SELECT count(*) FROM flow_run WHERE end_time >= '2026-03-03 00:00:00.000000'"));
        assertEquals(0, scalar("SELECT count(*) FROM log WHERE timestamp < '2026-03-03 00:00:00.000000'"));
        assertEquals(0, scalar("SELECT count(*) FROM events WHERE occurred < '2026-05-25 00:00:00.000000'"));
        assertEquals(0, scalar("SELECT count(*) FROM event_resources WHERE occurred < '2026-05-25 00:00:00.000000'"));
        assertEquals(
                0,
                scalar("SELECT count(*) FROM log l WHERE l.flow_run_id IS NOT NULL AND NOT EXISTS"
                        + " (SELECT 1 FROM flow_run r WHERE r.id = l.flow_run_id) AND l.timestamp >= '2026-03-03'"
                        + " AND l.flow_run_id IN (SELECT flow_run_id FROM artifact)"));
        assertTrue(scalar("SELECT count(*) FROM events") > 0, "recent events stay");
    }

    @Test
    void jsonNamesEveryPolicyWithRowsPerTableAndDuration() {
        Cli cli = Cli.run(
                Map.of(),
                CLOCK,
                "sweep",
                "--config",
                config.toString(),
                "--policy",
                "logs",
                "--policy",
                "events",
                "--format",
                "json");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().startsWith("{\"dry_run\":false,"), cli.out());
        assertTrue(
                cli.out().contains("\"policies\":[{\"name\":\"logs\",\"table\":\"log\",\"outcome\":\"succeeded\""),
                cli.out());
        assertTrue(
                cli.out().contains("{\"name\":\"events\",\"table\":\"events\",\"outcome\":\"succeeded\""), cli.out());
        assertTrue(cli.out().matches("(?s).*\"rows\":\\{\"events\":\\d+,\"event_resources\":\\d+}.*"), cli.out());
        assertTrue(cli.out().contains("\"duration_seconds\":"), cli.out());
        assertFalse(cli.out().contains("flow-runs"), "only the selected policies run");
    }

    @Test
    void aFailingPolicyExitsOneAndTheOthersStillRun() throws Exception {
        Files.writeString(
                config,
                Files.readString(config)
                        .replace(
                                "}\n",
                                "  policies.broken { table = no_such_table, time-column = created, older-than = 1d }\n}\n"));
        Cli cli = Cli.run(
                Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "broken", "--policy", "logs");
        assertEquals(1, cli.exitCode(), cli.out() + cli.err());
        assertTrue(
                cli.out()
                        .contains("broken             FAILED  table \"no_such_table\" does not exist in the database"
                                + " (policy defined at " + config + ": 4)"),
                cli.out());
        assertTrue(cli.out().matches("(?s).*\nlogs +log +[\\d,]+ rows.*"), cli.out());
        assertEquals(0, scalar("SELECT count(*) FROM log WHERE timestamp < '2026-03-03 00:00:00.000000'"));
    }

    /**
     * A policy on flow_run_state keeps states 100 days, while flow-runs would take them with their runs, by
     * cascade, after 90: the dry run says a real run would refuse flow-runs, and the real run does, deleting
     * nothing; the fix it names (wait for the states' own policy) lets flow-runs through, taking only runs whose
     * states are gone.
     */
    @Test
    void refusesACascadeThatWouldTakeRowsAnotherPolicyKeepsAndItsFixLetsItThrough() throws Exception {
        Files.writeString(
                config,
                Files.readString(config)
                        .replace(
                                "}\n",
                                "  policies.states { table = flow_run_state, time-column = timestamp, older-than = 100d }\n}\n"));
        long runs = scalar("SELECT count(*) FROM flow_run");
        long taken = scalar("SELECT count(*) FROM flow_run_state s JOIN flow_run r ON r.id = s.flow_run_id"
                + " WHERE r.end_time < '2026-03-03 00:00:00.000000'"
                + " AND r.state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')");
        long kept = scalar("SELECT count(*) FROM flow_run_state s JOIN flow_run r ON r.id = s.flow_run_id"
                + " WHERE r.end_time < '2026-03-03 00:00:00.000000'"
                + " AND r.state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')"
                + " AND NOT s.timestamp < '2026-02-21 00:00:00.000000'");
        assertTrue(kept > 0 && kept < taken, kept + " of " + taken);
        String refusal = String.format(
                Locale.ROOT,
                "its cascade through foreign key fk_flow_run_state__flow_run_id (\"flow_run_state\".\"flow_run_id\" ON"
                        + " DELETE CASCADE) would delete %,d \"flow_run_state\" rows, %,d of which policy states keeps"
                        + " (states deletes only rows whose \"timestamp\" is older than 100d). Add unreferenced-by ="
                        + " [{table = \"flow_run_state\", column = \"flow_run_id\"}] to policy flow-runs"
                        + " (presets/prefect.conf: 14), so that it deletes only \"flow_run\" rows no"
                        + " \"flow_run_state\" row refers to; or set allow-cascade-conflicts = true on it to let its"
                        + " cascades take them",
                taken,
                kept);

        Cli dryRun =
                Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flow-runs", "--dry-run");
        assertEquals(0, dryRun.exitCode(), dryRun.err());
        assertTrue(dryRun.out().contains("  a real run would REFUSE this policy: " + refusal + "\n"), dryRun.out());

        Cli refused = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flow-runs");
        assertEquals(1, refused.exitCode(), refused.out());
        assertTrue(refused.out().startsWith("flow-runs          FAILED  refused: " + refusal + "\n"), refused.out());
        assertEquals(runs, scalar("SELECT count(*) FROM flow_run"));

        Files.writeString(
                config,
                Files.readString(config)
                        + "runsweep.policies.flow-runs.unreferenced-by = [{table = \"flow_run_state\", column ="
                        + " \"flow_run_id\"}]\n");
        Cli states = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "states");
        assertEquals(0, states.exitCode(), states.out() + states.err());
        long stateless = scalar("SELECT count(*) FROM flow_run r WHERE r.end_time < '2026-03-03 00:00:00.000000'"
                + " AND r.state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')"
                + " AND NOT EXISTS (SELECT 1 FROM flow_run_state s WHERE s.flow_run_id = r.id)");
        assertTrue(stateless > 0, "the states policy left runs without states");

        Cli fixed = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flow-runs");

        assertEquals(0, fixed.exitCode(), fixed.out() + fixed.err());
        assertTrue(
                fixed.out()
                        .startsWith(String.format(
                                Locale.ROOT,
                                "%-18s %-22s %12s rows",
                                "flow-runs",
                                "flow_run",
                                String.format(Locale.ROOT, "%,d", stateless))),
                fixed.out());
        assertEquals(runs - stateless, scalar("SELECT count(*) FROM flow_run"));
        assertEquals(0, scalar("SELECT count(*) FROM flow_run_state WHERE timestamp < '2026-02-21 00:00:00.000000'"));
    }

    @Test
    void estimateOnSqliteCountsExactlyAsTheDryRunDoesAndGoesOnlyWithDryRun() throws Exception {
        List<String> before = snapshot();
        Cli counted = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--dry-run");
        Cli estimated = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--dry-run", "--estimate");

        assertEquals(0, estimated.exitCode(), estimated.err());
        assertEquals(before, snapshot());
        // SQLite keeps no row estimates: the counts are exact, the report says why, and the rest is line for line the
        // dry run's.
        String why = "  rows are counted: this database keeps no row estimates to answer --estimate with\n";
        assertTrue(estimated.out().contains("\n" + why), estimated.out());
        assertEquals(
                counted.out().replaceAll("\\d+\\.\\d\\d s", "_ s"),
                estimated.out().replace(why, "").replaceAll("\\d+\\.\\d\\d s", "_ s"));
        assertFalse(estimated.out().matches("(?s).*\n    \\S+ +about .*"), estimated.out());

        Cli json = Cli.run(
                Map.of(), CLOCK, "sweep", "--config", config.toString(), "--dry-run", "--estimate", "--format", "json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"estimated\":false"), json.out());
        assertFalse(json.out().contains("\"estimated\":true"), json.out());

        Cli real = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--estimate");
        assertEquals(2, real.exitCode());
        assertEquals(
                "runsweep: --estimate goes with --dry-run: a real run deletes, and counts what it deleted\n",
                real.err());
        assertEquals(before, snapshot());
    }

    @Test
    void unknownPolicyIsAUsageError() {
        Cli cli = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flowruns");
        assertEquals(2, cli.exitCode());
        assertEquals(
                "runsweep: unknown policy 'flowruns'; configured policies: flow-runs, task-runs, logs, events,"
                        + " event-resources, orphan-artifacts, orphan-collections\n",
                cli.err());
    }

    private long scalar(String sql) throws Exception {
        return SqliteFile.scalar(db, sql);
    }

    private List<String> snapshot() throws Exception {
        return SqliteFile.snapshot(db, TABLES);
    }
}
