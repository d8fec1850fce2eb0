package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runsweep check} as a user runs it, on real databases: what it finds, the fixes it prints, its exit codes. */
class CheckCommandTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path config(String... lines) throws Exception {
        return Files.writeString(dir.resolve("runsweep.conf"), String.join("\n", lines) + "\n");
    }

    private Path seededSqlite() {
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
                "60",
                "--days",
                "30");
        assertEquals(0, seeded.exitCode(), seeded.err());
        return db;
    }

    private static void execute(String jdbcUrl, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /**
     * A Prefect database from before 3.7.5: event_resources has neither index. Deleting each batch's resources by
     * event_id then reads the whole table per batch (a warning); event-resources' own batches read it once per
     * run, range by range (a note). Both fixes, applied, clear them.
     */
    @Test
    void anOlderPrefectOnSqliteWarnsOfAMissingIndexAndItsStatementFixesIt() throws Exception {
        Path db = seededSqlite();
        execute(
                "jdbc:sqlite:" + db,
                "DROP INDEX ix_event_resources__event_id",
                "DROP INDEX ix_event_resources__occurred");
        Path config = config("runsweep { preset = prefect, database.url = \"sqlite:///" + db + "\" }");

        Cli cli = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(3, cli.exitCode(), cli.out() + cli.err());
        String eventId = "CREATE INDEX \"ix_event_resources__event_id\" ON \"event_resources\" (\"event_id\");";
        String occurred = "CREATE INDEX \"ix_event_resources__occurred\" ON \"event_resources\" (\"occurred\");";
        assertTrue(
                cli.out()
                        .contains("\npolicy events\n"
                                + "  ok       \"events\": found by index ix_events__occurred\n"
                                + "  WARNING  no index on \"event_resources\".\"event_id\": deleting each batch's \"event_resources\" rows"
                                + " reads the whole table\n"
                                + "           fix: " + eventId + "\n"),
                cli.out());
        assertTrue(
                cli.out()
                        .contains("\npolicy event-resources\n"
                                + "  note     no index on \"event_resources\".\"occurred\": each run reads the whole table once,"
                                + " range by range, for finding the policy's rows ((substr(\"occurred\", 11, 1) = ' ' AND \"occurred\" < ?)); an index would let it"
                                + " read only the rows that go\n"
                                + "           fix: " + occurred + "\n"),
                cli.out());
        assertTrue(cli.out().contains("  ok       dependent \"log\".\"flow_run_id\": found by index"), cli.out());
        assertTrue(cli.out().endsWith("\n0 errors, 1 warning, 4 notes\n"), cli.out());

        execute("jdbc:sqlite:" + db, eventId, occurred);
        Cli fixed = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(0, fixed.exitCode(), fixed.out());
        assertTrue(
                fixed.out()
                        .contains("  ok       dependent \"event_resources\".\"event_id\": found by index"
                                + " ix_event_resources__event_id\n"),
                fixed.out());
        assertTrue(
                fixed.out().contains("  ok       \"event_resources\": found by index ix_event_resources__occurred\n"),
                fixed.out());
        assertTrue(fixed.out().endsWith("\n0 errors, 0 warnings, 3 notes\n"), fixed.out());
    }

    @Test
    void duplicateIndexesOfAManagedTableAreListedWithTheOneToDrop() throws Exception {
        Path db = seededSqlite();
        execute("jdbc:sqlite:" + db, "CREATE INDEX ix_log_timestamp_copy ON log (\"timestamp\")");
        Path config = config(
                "runsweep.database.url = \"sqlite:///" + db + "\"",
                "runsweep.policies.logs { table = log, time-column = timestamp, older-than = 30d }");

        Cli cli = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString(), "--format", "json");

        assertEquals(3, cli.exitCode(), cli.out());
        assertTrue(
                cli.out()
                        .contains("{\"severity\":\"warning\",\"topic\":\"indexes\",\"message\":\"duplicate indexes on"
                                + " \\\"log\\\": ix_log__timestamp, ix_log_timestamp_copy have the same columns (timestamp) and predicate;"
                                + " every write updates each of them, and one serves every query. The fix drops only indexes that are"
                                + " not the scheduler's own\","
                                + "\"fix\":\"DROP INDEX \\\"ix_log_timestamp_copy\\\";\"}"),
                cli.out());
        assertTrue(cli.out().startsWith("{\"database\":\"SQLite 3."), cli.out());
        assertTrue(cli.out().contains("\"errors\":0,\"warnings\":1,\"notes\":1,"), cli.out());
    }

    /**
     * After `runsweep maintain` (SQLite's optimize pragma gathers statistics), SQLite reads tables of a few dozen rows
     * whole whatever their indexes; check judges from the index the database would use at scale, not the scan.
     */
    @Test
    void onTinySqliteTablesWithStatisticsCheckJudgesFromThePlanAtScale() throws Exception {
        Path db = seededSqlite();
        Path config = config("runsweep { preset = prefect, database.url = \"sqlite:///" + db + "\" }");
        execute("jdbc:sqlite:" + db, "ANALYZE");
        Cli maintain = Cli.run(Map.of(), CLOCK, "maintain", "--config", config.toString());
        assertEquals(0, maintain.exitCode(), maintain.out() + maintain.err());

        Cli cli = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(0, cli.exitCode(), cli.out());
        assertTrue(
                cli.out()
                        .matches(
                                "(?s).*\n  ok       \"flow_run\": index ix_flow_run__end_time_desc \\(the database"
                                        + " reads a table of [\\d,]+ rows whole; at scale it uses the index\\)\n.*"
                                        + "\n  ok       dependent \"artifact\"\\.\"flow_run_id\": index ix_artifact__flow_run_id"
                                        + " \\(the database reads a table of [\\d,]+ rows whole; at scale it uses the index\\)\n.*"),
                cli.out());
        assertTrue(cli.out().endsWith("\n0 errors, 0 warnings, 3 notes\n"), cli.out());
    }

    /**
     * Of duplicates, the fix drops only the one the user added; two of the scheduler's own (the preset names them)
     * are a note with nothing to drop, since its migrations expect them.
     */
    @Test
    void theSchedulersOwnIndexesAreNeverProposedForDropping() throws Exception {
        Path db = seededSqlite();
        execute(
                "jdbc:sqlite:" + db,
                "CREATE INDEX ix_flow_run__end_time ON flow_run (end_time)",
                "CREATE INDEX my_log_timestamp ON log (\"timestamp\")");
        Path config = config("runsweep { preset = prefect, database.url = \"sqlite:///" + db + "\" }");

        Cli cli = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(3, cli.exitCode(), cli.out());
        assertTrue(
                cli.out()
                        .contains("  note     duplicate indexes on \"flow_run\": ix_flow_run__end_time,"
                                + " ix_flow_run__end_time_desc have the same columns (end_time) and predicate; every write"
                                + " updates each of them, and one serves every query. They are the scheduler's own"
                                + " (runsweep.review.scheduler-indexes) or enforce something, so none is proposed for"
                                + " dropping: its migrations expect them\n"),
                cli.out());
        assertTrue(
                cli.out()
                        .contains(
                                "  WARNING  duplicate indexes on \"log\": ix_log__timestamp, my_log_timestamp have the"
                                        + " same columns (timestamp) and predicate; every write updates each of them, and one"
                                        + " serves every query. The fix drops only indexes that are not the scheduler's own\n"
                                        + "           fix: DROP INDEX \"my_log_timestamp\";\n"),
                cli.out());
        assertEquals(1, cli.out().split("DROP INDEX", -1).length - 1, cli.out());
    }

    /**
     * Unused indexes, one per line; the scheduler's own (the preset names them) are left out, counted, since its
     * migrations expect them.
     */
    @Test
    void prefectOnPostgresIsCleanAndListsIndexesNoQueryUsedOnePerLine() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url)) {
            PrefectSchema.create(c, SchemaDialect.POSTGRESQL);
        }
        execute(
                url,
                "CREATE INDEX my_flow_run_created ON flow_run (created)",
                "CREATE INDEX my_log_name ON log (name)");
        Path config = config("runsweep { preset = prefect, database.url = \"" + url + "\" }");

        Cli cli = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(0, cli.exitCode(), cli.out());
        assertTrue(cli.out().startsWith("runsweep check: PostgreSQL 15."), cli.out());
        assertTrue(
                cli.out()
                        .contains("\nindexes\n"
                                + "  note     index my_flow_run_created of \"flow_run\" (8.0 KiB) has not been used by any"
                                + " query since the statistics were last reset (pg_stat_user_indexes.idx_scan = 0)\n"
                                + "  note     index my_log_name of \"log\" (8.0 KiB) has not been used by any query since"
                                + " the statistics were last reset (pg_stat_user_indexes.idx_scan = 0)\n"
                                + "  note     "),
                cli.out());
        assertTrue(
                cli.out()
                        .matches("(?s).*\n  note     \\d+ of the scheduler's own indexes"
                                + " \\(runsweep.review.scheduler-indexes\\) have not been used either; they are left"
                                + " out: its migrations expect them\n.*"),
                cli.out());
        assertFalse(cli.out().contains("ix_flow_run__deployment_id"), cli.out());
        assertTrue(
                cli.out()
                        .contains("  ok       dependent \"event_resources\".\"event_id\": found by index"
                                + " ix_event_resources__event_id\n"),
                cli.out());
        assertTrue(cli.out().endsWith("\n0 errors, 0 warnings, 5 notes\n"), cli.out());
    }

    /**
     * A policy on flow_run_state that keeps states 180 days, while flow-runs deletes runs, and their states by
     * cascade, after 90; and a table whose plain foreign key to flow_run makes every delete of a referenced run fail.
     * Both fixes, applied, clear both warnings.
     */
    @Test
    void cascadesThatTakeRowsAnotherPolicyKeepsAndKeysThatBlockDeletesAreWarningsTheirFixesClear() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url)) {
            PrefectSchema.create(c, SchemaDialect.POSTGRESQL);
        }
        execute(url, "CREATE TABLE run_note (id uuid PRIMARY KEY, flow_run_id uuid REFERENCES flow_run (id))");
        Path config = config(
                "runsweep { preset = prefect, database.url = \"" + url + "\" }",
                "runsweep.policies.states { table = flow_run_state, time-column = timestamp, older-than = 180d }");

        Cli cli = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(3, cli.exitCode(), cli.out());
        assertTrue(
                cli.out()
                        .contains("\n  WARNING  policy flow-runs deletes \"flow_run\" rows, and by foreign key"
                                + " fk_flow_run_state__flow_run_id__flow_run (\"flow_run_state\".\"flow_run_id\" ON DELETE"
                                + " CASCADE) their \"flow_run_state\" rows whatever their age and status, among them rows"
                                + " that policy states keeps (states deletes only rows whose \"timestamp\" is older than"
                                + " 180d): 0 such rows would go now. A sweep refuses the policy while any would\n"
                                + "           fix: add unreferenced-by = [{table = \"flow_run_state\", column ="
                                + " \"flow_run_id\"}] to policy flow-runs (presets/prefect.conf: 14), so that it deletes only"
                                + " \"flow_run\" rows no \"flow_run_state\" row refers to; or set allow-cascade-conflicts ="
                                + " true on it to let its cascades take them\n"),
                cli.out());
        assertTrue(
                cli.out()
                        .contains(
                                "\n  WARNING  foreign key run_note_flow_run_id_fkey (\"run_note\".\"flow_run_id\""
                                        + " ON DELETE NO ACTION) refers to \"flow_run\": deleting a \"flow_run\" row that a \"run_note\" row still"
                                        + " refers to fails, and with it the whole batch\n"
                                        + "           fix: add unreferenced-by = [{table = \"run_note\", column = \"flow_run_id\"}] to policy"
                                        + " flow-runs, so that it deletes only rows nothing refers to; or delete the \"run_note\" rows first, with a"
                                        + " policy of their own; or change run_note_flow_run_id_fkey to ON DELETE CASCADE or ON DELETE SET NULL\n"),
                cli.out());
        assertTrue(
                cli.out()
                        .contains(
                                "\npolicy states\n  note     no index on \"flow_run_state\".\"timestamp\": each run reads"
                                        + " the whole table once, range by range, for finding the policy's rows (\"timestamp\" < ?);"
                                        + " an index would let it read only the rows that go\n"
                                        + "           fix: CREATE INDEX CONCURRENTLY \"ix_flow_run_state__timestamp\" ON \"flow_run_state\""
                                        + " (\"timestamp\");\n"),
                cli.out());
        assertTrue(cli.out().endsWith("\n0 errors, 2 warnings, 4 notes\n"), cli.out());

        Files.writeString(
                config,
                Files.readString(config)
                        + "runsweep.policies.flow-runs.unreferenced-by = [{table = \"flow_run_state\", column ="
                        + " \"flow_run_id\"}, {table = \"run_note\", column = \"flow_run_id\"}]\n");
        Cli waiting = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());
        String index = "CREATE INDEX CONCURRENTLY \"ix_run_note__flow_run_id\" ON \"run_note\" (\"flow_run_id\");";
        assertTrue(
                waiting.out()
                        .contains("  WARNING  no index on \"run_note\".\"flow_run_id\": the unreferenced-by test, for"
                                + " every row it considers, reads the whole table\n           fix: " + index + "\n"),
                waiting.out());
        assertTrue(waiting.out().endsWith("\n0 errors, 1 warning, 4 notes\n"), waiting.out());
        execute(url, index);
        Cli fixed = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(0, fixed.exitCode(), fixed.out());
        assertTrue(
                fixed.out()
                        .contains("  ok       unreferenced-by \"flow_run_state\".\"flow_run_id\": found by index"
                                + " uq_flow_run_state__flow_run_id_timestamp_desc\n"),
                fixed.out());
        assertTrue(fixed.out().endsWith("\n0 errors, 0 warnings, 4 notes\n"), fixed.out());
    }

    @Test
    void anUnreachableDatabaseOrAPolicyThatCannotBePlannedIsAnError() throws Exception {
        Path missing = dir.resolve("missing.db");
        Cli unreachable = Cli.run(
                Map.of(),
                CLOCK,
                "check",
                "--config",
                config("runsweep { preset = prefect, database.url = \"sqlite:///" + missing + "\" }")
                        .toString());
        assertEquals(2, unreachable.exitCode(), unreachable.out());
        assertEquals(
                "runsweep check: jdbc:sqlite:" + missing + "\n\ndatabase\n"
                        + "  ERROR    SQLite database file not found: " + missing
                        + " (Runsweep opens the scheduler's existing"
                        + " database; check the database URL)\n\n1 error, 0 warnings, 0 notes\n",
                unreachable.out());

        Cli refused = Cli.run(
                Map.of(),
                CLOCK,
                "check",
                "--config",
                config(
                                "runsweep.database.url = \"jdbc:postgresql://127.0.0.1:1/prefect?user=prefect&password=s3cret\"",
                                "runsweep.database.connect-timeout = 1s",
                                "runsweep.policies.logs { table = log, time-column = timestamp, older-than = 30d }")
                        .toString());
        assertEquals(2, refused.exitCode(), refused.out());
        assertTrue(
                refused.out()
                        .contains("  ERROR    Cannot open database"
                                + " jdbc:postgresql://127.0.0.1:1/prefect?user=prefect"),
                refused.out());
        assertTrue(!refused.out().contains("s3cret"), refused.out());

        Path db = seededSqlite();
        Cli unplanned = Cli.run(
                Map.of(),
                CLOCK,
                "check",
                "--config",
                config(
                                "runsweep.database.url = \"sqlite:///" + db + "\"",
                                "runsweep.policies.runs { table = flow_runs, time-column = end_time, older-than = 30d }")
                        .toString());
        assertEquals(2, unplanned.exitCode(), unplanned.out());
        assertTrue(
                unplanned
                        .out()
                        .contains("\npolicy runs\n  ERROR    table \"flow_runs\" does not exist in the database"
                                + " (policy defined at " + dir.resolve("runsweep.conf") + ": 2)\n"),
                unplanned.out());
    }

    @Test
    void aBadConfigurationIsReportedWithFileAndLineAndExits2() throws Exception {
        Path config = config("runsweep {", "  preset = prefect", "  maintenance.vacuum-dead-fraction = lots", "}");

        Cli cli = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(2, cli.exitCode());
        assertEquals("", cli.out());
        assertEquals(
                List.of(
                        "runsweep: the configuration has 1 problem; nothing was run:",
                        "  " + config
                                + ": 3: runsweep.maintenance.vacuum-dead-fraction: expected a number such as 0.95, got 'lots'"),
                cli.err().lines().toList());
    }
}
