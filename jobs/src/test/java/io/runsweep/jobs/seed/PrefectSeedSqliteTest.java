package io.runsweep.jobs.seed;

import static io.runsweep.jobs.seed.SeedChecks.FOREIGN_KEYS;
import static io.runsweep.jobs.seed.SeedChecks.TABLES;
import static io.runsweep.jobs.seed.SeedChecks.count;
import static io.runsweep.jobs.seed.SeedChecks.options;
import static io.runsweep.jobs.seed.SeedChecks.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefectSeedSqliteTest {
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}$");
    private static final Pattern UUID_TEXT =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

    @TempDir
    Path dir;

    @Test
    void createsTheSchemaTwiceWithPrefectsKeysItsLogIndexesAndTheEventResourceIndexesOfPrefect375()
            throws SQLException {
        try (Connection c = open("prefect.db")) {
            PrefectSchema.create(c, SchemaDialect.SQLITE);
            PrefectSchema.create(c, SchemaDialect.SQLITE);

            SeedChecks.assertEmptyTables(c);
            assertEquals(FOREIGN_KEYS, foreignKeys(c));
            assertEquals(
                    List.of(
                            "ix_event_resources__event_id",
                            "ix_event_resources__occurred",
                            "ix_event_resources__resource_id__occurred",
                            "sqlite_autoindex_event_resources_1"),
                    strings(
                            c,
                            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_resources'"
                                    + " ORDER BY name"));
            List<String> logIndexes = new ArrayList<>(SeedChecks.LOG_INDEXES);
            logIndexes.add("sqlite_autoindex_log_1");
            assertEquals(
                    logIndexes,
                    strings(
                            c,
                            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log' ORDER BY name"));
            assertTrue(c.getAutoCommit(), "auto-commit restored");
        }
    }

    @Test
    void seedsExactlyWhatItReportsAsARealisticHistory() throws SQLException {
        List<String> progress = new ArrayList<>();
        try (Connection c = open("prefect.db")) {
            PrefectSchema.create(c, SchemaDialect.SQLITE);
            SeedOptions options = SeedOptions.builder()
                    .flowRuns(SeedChecks.FLOW_RUNS)
                    .days(SeedChecks.DAYS)
                    .now(SeedChecks.NOW)
                    .progress(progress::add)
                    .build();

            SeedReport report = new PrefectSeeder(options).seed(c, SchemaDialect.SQLITE);

            SeedChecks.assertCountsMatch(c, report);
            SeedChecks.assertRealisticHistory(c, SchemaDialect.SQLITE);
            assertEquals(List.of(), foreignKeyViolations(c));
            assertTrue(c.getAutoCommit(), "auto-commit restored");
            assertTrue(
                    progress.get(progress.size() - 1).startsWith("prefect seed: 500 of 500 flow runs, "),
                    progress.toString());
        }
    }

    @Test
    void storesTimestampsAndIdsExactlyAsPrefectDoes() throws SQLException {
        try (Connection c = open("prefect.db")) {
            PrefectSchema.create(c, SchemaDialect.SQLITE);
            new PrefectSeeder(options(42)).seed(c, SchemaDialect.SQLITE);

            for (String table : TABLES) {
                for (String column : columnsOfType(c, table, "DATETIME")) {
                    assertAllMatch(c, table, column, TIMESTAMP);
                }
                for (String column : columnsOfType(c, table, "CHAR(36)")) {
                    assertAllMatch(c, table, column, UUID_TEXT);
                }
            }
        }
    }

    @Test
    void sameOptionsWriteTheSameRows() throws SQLException {
        try (Connection first = open("first.db");
                Connection second = open("second.db")) {
            PrefectSchema.create(first, SchemaDialect.SQLITE);
            PrefectSchema.create(second, SchemaDialect.SQLITE);
            SeedReport one = new PrefectSeeder(options(7)).seed(first, SchemaDialect.SQLITE);
            SeedReport two = new PrefectSeeder(options(7)).seed(second, SchemaDialect.SQLITE);

            assertEquals(one.rowsByTable(), two.rowsByTable());
            String runs = "SELECT id || state_type || coalesce(end_time, '-') FROM flow_run ORDER BY id";
            assertEquals(strings(first, runs), strings(second, runs));
        }
    }

    @Test
    void seedingAgainWithAnotherSeedReusesTheFlowsAndAddsRuns() throws SQLException {
        try (Connection c = open("prefect.db")) {
            PrefectSchema.create(c, SchemaDialect.SQLITE);
            SeedReport first = new PrefectSeeder(options(1)).seed(c, SchemaDialect.SQLITE);
            SeedReport second = new PrefectSeeder(options(2)).seed(c, SchemaDialect.SQLITE);

            assertEquals(0, second.rows("flow"));
            assertEquals(0, second.rows("deployment"));
            assertEquals(first.rows("flow"), count(c, "SELECT count(*) FROM flow"));
            assertEquals(first.rows("flow_run") + second.rows("flow_run"), count(c, "SELECT count(*) FROM flow_run"));
            assertEquals(List.of(), foreignKeyViolations(c));
        }
    }

    @Test
    void seedingAgainWithTheSameOptionsAddsRunsOfItsOwn() throws SQLException {
        try (Connection c = open("prefect.db")) {
            PrefectSchema.create(c, SchemaDialect.SQLITE);
            SeedReport first = new PrefectSeeder(options(7)).seed(c, SchemaDialect.SQLITE);
            SeedReport second = new PrefectSeeder(options(7)).seed(c, SchemaDialect.SQLITE);

            assertEquals(first.rows("flow_run"), second.rows("flow_run"));
            assertEquals(0, second.rows("flow"));
            assertEquals(2 * first.rows("flow_run"), count(c, "SELECT count(*) FROM flow_run"));
            assertEquals(first.rows("log") + second.rows("log"), count(c, "SELECT count(*) FROM log"));
            assertEquals(List.of(), foreignKeyViolations(c));
        }
    }

    /** Opened the way Prefect opens its database. */
    private Connection open(String file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(file));
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA foreign_keys = ON");
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA busy_timeout = 60000");
        }
        return c;
    }

    private static Set<String> foreignKeys(Connection c) throws SQLException {
        Set<String> keys = new TreeSet<>();
        for (String table : TABLES) {
            try (Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery(
                            "SELECT \"from\", \"table\", on_delete FROM pragma_foreign_key_list('" + table + "')")) {
                while (rows.next()) {
                    keys.add(table + "." + rows.getString(1) + " -> " + rows.getString(2) + " ON DELETE "
                            + rows.getString(3));
                }
            }
        }
        return keys;
    }

    private static List<String> foreignKeyViolations(Connection c) throws SQLException {
        List<String> violations = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("PRAGMA foreign_key_check")) {
            while (rows.next()) {
                violations.add(rows.getString(1) + " row " + rows.getLong(2) + " -> " + rows.getString(3));
            }
        }
        return violations;
    }

    private static List<String> columnsOfType(Connection c, String table, String type) throws SQLException {
        return strings(c, "SELECT name FROM pragma_table_info('" + table + "') WHERE type = '" + type + "'");
    }

    private static void assertAllMatch(Connection c, String table, String column, Pattern pattern) throws SQLException {
        List<String> values = strings(c, "SELECT " + column + " FROM " + table + " WHERE " + column + " IS NOT NULL");
        assertEquals(
                values.size(),
                count(c, "SELECT count(*) FROM " + table + " WHERE typeof(" + column + ") = 'text'"),
                table + "." + column + " stored as text");
        for (String value : values) {
            assertTrue(pattern.matcher(value).matches(), table + "." + column + ": " + value);
        }
    }
}
