package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
                        .contains("    DELETE FROM \"flow_run\" NOT INDEXED WHERE rowid IN (SELECT rowid FROM"
                                + " \"flow_run\" WHERE \"end_time\" < ? AND \"state_type\" IN (?, ?, ?, ?) LIMIT ?) AND \"end_time\" < ?"
                                + " AND \"state_type\" IN (?, ?, ?, ?) RETURNING \"id\"\n"
                                + "      -- $1 = '2026-03-03 00:00:00.000000', $2 = 'COMPLETED', $3 = 'FAILED', $4 = 'CANCELLED',"
                                + " $5 = 'CRASHED', $6 = <batch size>, $7 = '2026-03-03 00:00:00.000000', $8 = 'COMPLETED',"
                                + " $9 = 'FAILED', $10 = 'CANCELLED', $11 = 'CRASHED'\n"
                                + "    -- plan: flow_run: index rowid, index ix_flow_run__"),
                cli.out());
        assertTrue(cli.out().contains("  strategy index: about 1 of "), cli.out());
        assertTrue(cli.out().contains("-- plan: log: index ix_log__task_run_id\n"), cli.out());
        assertTrue(cli.out().contains("event_resources: NO INDEX, reads the whole table"), cli.out());
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

        Cli cli = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString());

        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(
                cli.out().matches("(?s)flow-runs +flow_run +" + String.format("%,d", expiredRuns) + " rows .*"),
                cli.out());
        assertTrue(
                cli.out().endsWith("5 policies, 0 failed (" + cli.out().replaceAll("(?s).*failed \\(", "")), cli.out());
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

    @Test
    void warnsBeforeDeletingWhenACascadeCutsAnotherPolicysRetention() throws Exception {
        Files.writeString(
                config,
                Files.readString(config)
                        .replace(
                                "}\n",
                                "  policies.states { table = flow_run_state, time-column = timestamp, older-than = 180d }\n}\n"));
        Cli cli =
                Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flow-runs", "--dry-run");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(
                cli.err()
                        .startsWith("warning: policy flow-runs deletes \"flow_run\" rows older than 90d, and with"
                                + " them their \"flow_run_state\" rows (foreign key "),
                cli.err());
        assertTrue(
                cli.err().contains("which policy states keeps for 180d: those go after 90d instead; fix: "), cli.err());
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
                        + " event-resources\n",
                cli.err());
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> snapshot() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= n; i++) {
                            row.append('|').append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }
}
