package io.runsweep.app;

import static io.runsweep.jobs.checks.ChecksScenario.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.process.ExitCode;
import io.runsweep.jobs.checks.ChecksScenario;
import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.TableName;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runsweep report} on a seeded SQLite file: the text a user reads, and the exit code cron sees. */
class ReportCommandTest {
    static final List<String> TABLES = List.of(
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
    static final List<Long> ROWS = List.of(10L, 4L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);

    @TempDir
    Path dir;

    Path db;
    List<Long> totals;

    @BeforeEach
    void seed() throws Exception {
        db = dir.resolve("prefect.db");
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
                totals = TABLES.stream()
                        .map(t -> {
                            try {
                                return database.dialect()
                                        .totalBytes(
                                                c,
                                                database.dialect()
                                                        .describe(c, TableName.of(t))
                                                        .orElseThrow());
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .toList();
            }
        }
    }

    private Path config(String... lines) throws Exception {
        Path file = dir.resolve("runsweep.conf");
        Files.writeString(
                file,
                "runsweep {\n  preset = prefect\n  database.url = \"sqlite:///" + db + "\"\n" + String.join("\n", lines)
                        + "\n}\n");
        return file;
    }

    @Test
    void printsEveryCheckAndExitsThreeWhenAnAlertFires() throws Exception {
        Path config = config(
                "  alerts.log-rows { table = log, max-rows = 3 }",
                "  alerts.late { policy = flow-runs, max-oldest-age = 365d }",
                "  alerts.sweep-health { job = logs, max-time-since-success = 2h }");
        long fileBytes = Files.size(db);

        Cli cli = Cli.run(Map.of(), CLOCK, "report", "--config", config.toString());

        assertEquals(ExitCode.ALERT, cli.exitCode(), cli.err());
        String[] lines = cli.out().split("\n", 2);
        assertTrue(lines[0].matches("Checks at 2026-06-01T00:00:00Z \\(\\d+\\.\\d\\d s\\)"), lines[0]);
        StringBuilder tables =
                new StringBuilder("TABLE                              ROWS      TOTAL  DEAD ROWS  LAST VACUUM\n");
        for (int i = 0; i < TABLES.size(); i++) {
            tables.append(String.format(
                    "%-24s %14d %10s %10s  -%n", TABLES.get(i), ROWS.get(i), Formats.bytes(totals.get(i)), "-"));
        }
        assertEquals(
                "\n" + tables
                        + "(~ an estimate: PostgreSQL's statistics, for tables of 100,000 rows or more; ? unknown until the"
                        + " table is analyzed)\n"
                        + "\n"
                        + "POLICY                          BACKLOG  OLDEST ROW AGE\n"
                        + "flow-runs                             3  200d\n"
                        + "task-runs                             0  -\n"
                        + "logs                                  2  120d\n"
                        + "events                                0  -\n"
                        + "event-resources                       0  -\n"
                        + "orphan-artifacts                      0  -\n"
                        + "orphan-collections                    0  -\n"
                        + "(backlog: rows already past retention; oldest: among the rows the policy could delete)\n"
                        + "\n"
                        + "STUCK RUNS                         RUNS  TABLE, FOR OVER\n"
                        + "flow-runs                             2  flow_run, 1d\n"
                        + "\n"
                        + "SQLite file " + db + ": " + Formats.bytes(fileBytes) + ", "
                        + String.format("%,d", fileBytes / 4096)
                        + " pages of 4,096 bytes, 0 free; WAL 0 B\n"
                        + "\n"
                        + "ALERTS\n"
                        + "FIRING   log-rows               \"log\" rows 4 > 3\n"
                        + "ok       late                   policy flow-runs oldest row age 200d <= 365d\n"
                        + "unknown  sweep-health           job logs time since success unknown: only the daemon knows when its jobs"
                        + " last succeeded\n"
                        + "\n",
                lines[1]);
    }

    @Test
    void exitsZeroWhenNoAlertFires() throws Exception {
        Cli cli = Cli.run(
                Map.of(),
                CLOCK,
                "report",
                "--config",
                config("  alerts.log-rows { table = log, max-rows = 4 }").toString());

        assertEquals(ExitCode.OK, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("\nok       log-rows               \"log\" rows 4 <= 4\n"), cli.out());
    }

    @Test
    void jsonCarriesTheSameFactsInBaseUnits() throws Exception {
        Cli cli = Cli.run(
                Map.of(),
                CLOCK,
                "report",
                "--format",
                "json",
                "--config",
                config("  alerts.log-rows { table = log, max-rows = 3 }").toString());

        assertEquals(ExitCode.ALERT, cli.exitCode(), cli.err());
        String json = cli.out();
        assertTrue(json.startsWith("{\"at\":\"2026-06-01T00:00:00Z\",\"duration_seconds\":"), json);
        assertTrue(
                json.contains(",\"firing\":true,\"tables\":[{\"table\":\"flow_run\",\"rows\":10,\"rows_exact\":true,"
                        + "\"total_bytes\":" + totals.get(0) + ","),
                json);
        assertTrue(json.contains("\"live_rows\":null,\"dead_rows\":null,\"last_vacuum\":null,"), json);
        assertTrue(
                json.contains("\"policies\":[{\"policy\":\"flow-runs\",\"table\":\"flow_run\","
                        + "\"cutoff\":\"2026-03-03T00:00:00Z\",\"backlog\":3,\"oldest\":\"2025-11-13T00:00:00Z\","
                        + "\"oldest_age_seconds\":17280000}"),
                json);
        assertTrue(
                json.contains("\"stuck\":[{\"check\":\"flow-runs\",\"table\":\"flow_run\",\"runs\":2,"
                        + "\"older_than_seconds\":86400}]"),
                json);
        assertTrue(json.contains("\"sqlite_file\":{\"file\":\"" + db + "\",\"file_bytes\":" + Files.size(db)), json);
        assertTrue(json.contains("},\"oldest_snapshot\":null,\"alerts\":["), json);
        assertTrue(
                json.endsWith("\"alerts\":[{\"alert\":\"log-rows\",\"firing\":true,\"value\":4,\"threshold\":3,"
                        + "\"message\":\"\\\"log\\\" rows 4 > 3\"}],\"problems\":[]}\n"),
                json);
    }

    @Test
    void aCheckThatCannotRunExitsOneAndSaysWhy() throws Exception {
        Path config = config("  policies.gone { table = gone, time-column = created, older-than = 1d }");

        Cli cli = Cli.run(Map.of(), CLOCK, "report", "--config", config.toString());

        assertEquals(ExitCode.POLICY_FAILED, cli.exitCode(), cli.err());
        assertTrue(
                cli.out()
                        .endsWith("Problems (these checks could not run):\n"
                                + "  policy gone: table \"gone\" does not exist in the database (policy defined at "
                                + config + ": 4)\n"),
                cli.out());
    }

    @Test
    void aDatabaseThatCannotBeReachedExitsOne() throws Exception {
        Path config = config("  database.url = \"sqlite:///" + dir.resolve("missing.db") + "\"");

        Cli cli = Cli.run(Map.of(), CLOCK, "report", "--config", config.toString());

        assertEquals(ExitCode.POLICY_FAILED, cli.exitCode());
        assertEquals("", cli.out());
        assertTrue(
                cli.err().startsWith("runsweep: SQLite database file not found: " + dir.resolve("missing.db")),
                cli.err());
        assertFalse(Files.exists(dir.resolve("missing.db")));
    }

    @Test
    void aBadAlertIsAConfigurationErrorWithFileAndLine() throws Exception {
        Path config = config("  alerts.big { table = log, max-total-size = huge }");

        Cli cli = Cli.run(Map.of(), CLOCK, "report", "--config", config.toString());

        assertEquals(ExitCode.USAGE, cli.exitCode());
        assertEquals(
                "runsweep: the configuration has 1 problem; nothing was run:\n"
                        + "  " + config
                        + ": 4: runsweep.alerts.big.max-total-size: expected a size such as 5GB, 500MB or 2GiB;"
                        + " got 'huge'\n",
                cli.err());
    }
}
