package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.postgresql.PostgresVacuum;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runsweep maintain}, and the VACUUM that {@code sweep} runs after a big purge, as a user sees them. */
class MaintainCommandTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path config(String... lines) throws Exception {
        return Files.writeString(dir.resolve("runsweep.conf"), String.join("\n", lines) + "\n");
    }

    /** 12,000 runs, 11,000 of them finished long ago; autovacuum off, so that only Runsweep vacuums. */
    private static String postgresWithRuns() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE job_run (id bigint PRIMARY KEY, finished timestamptz NOT NULL, body text)"
                    + " WITH (autovacuum_enabled = false)");
            s.execute("CREATE INDEX ix_job_run__finished ON job_run (finished)");
            s.execute("INSERT INTO job_run SELECT g, CASE WHEN g <= 1000 THEN timestamptz '2026-05-30'"
                    + " ELSE timestamptz '2026-01-01' END, repeat('r', 300) FROM generate_series(1, 12000) g");
            // Counted now, not when this session ends: a late count would land after the deletes' and skew live rows.
            new PostgresVacuum().flushStatistics(c);
        }
        return url;
    }

    @Test
    void sweepShowsTheVacuumItWouldRunAndThenRunsIt() throws Exception {
        Path config = config(
                "runsweep.database.url = \"" + postgresWithRuns() + "\"",
                "runsweep.policies.old-runs { table = job_run, time-column = finished, older-than = 30d, batch-size = 5000 }");

        Cli preview = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--dry-run");

        assertEquals(0, preview.exitCode(), preview.err());
        assertTrue(
                preview.out()
                        .contains("\na real run would then maintain, after policy old-runs:\n"
                                + "  VACUUM (ANALYZE) \"job_run\"                   would run\n"
                                + "      why: deleted 11,000 rows, more than vacuum-after-rows (10,000)\n"
                                + "      now: "),
                preview.out());

        Cli sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString());

        assertEquals(0, sweep.exitCode(), sweep.err());
        assertTrue(
                sweep.out().contains("\nmaintenance, after policy old-runs:\n  VACUUM (ANALYZE) \"job_run\"  "),
                sweep.out());
        assertTrue(
                sweep.out()
                        .matches("(?s).*\n      size [0-9.]+ [KM]iB -> [0-9.]+ [KM]iB, dead rows 11,000 -> 0,"
                                + " live rows 1,000 -> 1,000\n.*"),
                sweep.out());

        Cli json = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--format", "json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(
                json.out().endsWith(",\"maintenance\":[]}\n"),
                "nothing left to delete, nothing to vacuum: " + json.out());
    }

    @Test
    void maintainAnalyzesAndVacuumsPostgresAndSaysWhatItWouldDoFirst() throws Exception {
        String url = postgresWithRuns();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM job_run WHERE id > 6000");
            new PostgresVacuum().flushStatistics(c);
        }
        Path config = config(
                "runsweep.database.url = \"" + url + "\"",
                "runsweep.policies.old-runs { table = job_run, time-column = finished, older-than = 30d }");

        Cli preview = Cli.run(Map.of(), CLOCK, "maintain", "--config", config.toString(), "--dry-run");

        assertEquals(0, preview.exitCode(), preview.err());
        assertTrue(
                preview.out()
                        .startsWith("DRY RUN: nothing was changed. A real run would do the following.\n\n"
                                + "VACUUM (ANALYZE) \"job_run\"                   would run\n"
                                + "    why: dead rows are 50% of the table, more than vacuum-dead-fraction (0.2)\n"
                                + "    now: "),
                preview.out());
        assertTrue(preview.out().contains(", 6,000 dead rows, 6,000 live\n"), preview.out());

        Cli run = Cli.run(Map.of(), CLOCK, "maintain", "--config", config.toString(), "--format", "json");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(
                run.out()
                        .contains("\"statement\":\"VACUUM (ANALYZE) \\\"job_run\\\"\",\"reason\":\"dead rows are 50%"
                                + " of the table, more than vacuum-dead-fraction (0.2)\",\"outcome\":\"done\""),
                run.out());
        assertTrue(
                run.out()
                        .matches("(?s).*\"before\":\\{\"total_bytes\":[0-9]+,\"live_rows\":6000,\"dead_rows\":6000},"
                                + "\"after\":\\{\"total_bytes\":[0-9]+,\"live_rows\":6000,\"dead_rows\":0}.*"),
                run.out());
        assertTrue(run.out().contains("\"failed\":false"), run.out());
    }

    @Test
    void maintainShrinksASqliteFileAndExits1WhenPartOfItCannotRun() throws Exception {
        Path db = dir.resolve("prefect.db");
        Cli seeded = Cli.run(
                Map.of(),
                CLOCK,
                "seed",
                "--preset",
                "prefect",
                "--url",
                "sqlite:///" + db,
                "--flow-runs",
                "300",
                "--days",
                "120");
        assertEquals(0, seeded.exitCode(), seeded.err());
        Path config = config(
                "runsweep { preset = prefect, database.url = \"sqlite:///" + db + "\" }",
                "runsweep.maintenance.sqlite.full-vacuum = true",
                "runsweep.maintenance.vacuum-full-tables = [log]");
        assertEquals(
                0,
                Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString()).exitCode());
        long before = Files.size(db);

        Cli cli = Cli.run(Map.of(), CLOCK, "maintain", "--config", config.toString());

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        assertTrue(Files.size(db) < before, before + " -> " + Files.size(db));
        assertTrue(cli.out().startsWith(db + "\n    before: file "), cli.out());
        assertTrue(cli.out().contains("\n    after:  file "), cli.out());
        assertTrue(cli.out().contains(" free (0 B), auto_vacuum NONE\n  PRAGMA optimize  "), cli.out());
        assertTrue(cli.out().contains("\n  VACUUM                                       done  "), cli.out());
        assertTrue(
                cli.out()
                        .contains("\nnote: runsweep.maintenance.vacuum-full-tables applies to PostgreSQL only; on"
                                + " SQLite see runsweep.maintenance.sqlite.full-vacuum\n"),
                cli.out());
        assertTrue(cli.out().contains("\n3 statements, 0 failed or refused, 0 problems ("), cli.out());

        String url = postgresWithRuns();
        Path missing = config(
                "runsweep.database.url = \"" + url + "\"",
                "runsweep.policies.old-runs { table = job_run, time-column = finished, older-than = 30d }",
                "runsweep.maintenance.vacuum-full-tables = [job_runs]");
        Cli failed = Cli.run(Map.of(), CLOCK, "maintain", "--config", missing.toString());
        assertEquals(1, failed.exitCode(), failed.out());
        assertTrue(
                failed.out()
                        .contains("\nPROBLEM: runsweep.maintenance.vacuum-full-tables: table \"job_runs\" does not"
                                + " exist\n"),
                failed.out());
    }

    @Test
    void badConfigurationExits2AndAnUnreachableDatabase1() throws Exception {
        Path bad = config("runsweep.maintenance.analyze-schedule = \"at night\"");
        Cli cli = Cli.run(Map.of(), CLOCK, "maintain", "--config", bad.toString());
        assertEquals(2, cli.exitCode());
        assertTrue(
                cli.err()
                        .contains(bad + ": 1: runsweep.maintenance.analyze-schedule: invalid cron expression"
                                + " 'at night'"),
                cli.err());

        Path missing = dir.resolve("missing.db");
        Cli unreachable = Cli.run(
                Map.of(),
                CLOCK,
                "maintain",
                "--config",
                config("runsweep.database.url = \"sqlite:///" + missing + "\"").toString());
        assertEquals(1, unreachable.exitCode());
        assertTrue(
                unreachable.err().startsWith("runsweep: SQLite database file not found: " + missing),
                unreachable.err());
    }
}
