package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.PrefectSeeder;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.seed.SeedOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real sweep process killed with SIGKILL in the middle of its batches: no row that left the database is missing
 * from the archive files, the archive tables hold exactly the rows that left (they commit with the deletes), the
 * interrupted run shows in {@code archive list}, and after a second sweep a restore from the files puts every row
 * back as it was.
 */
class ArchiveKillTest {
    static final Instant NOW = Instant.now();
    static final List<String> TABLES =
            List.of("flow_run", "flow_run_state", "flow_run_input", "task_run", "task_run_state", "log", "artifact");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void killMinusNineMidRunLosesNoDeletedRowFromTheArchive(DatabaseKind kind) throws Exception {
        Path archive = dir.resolve("archive");
        try (Database database = TestDatabases.open(kind, dir)) {
            seed(database, kind);
            Map<String, Set<String>> before = ids(database);
            List<String> rowsBefore = snapshot(database);
            Path config = Files.writeString(
                    dir.resolve("runsweep.conf"),
                    String.join(
                            "\n",
                            "runsweep {",
                            "  preset = prefect",
                            "  database.url = \"" + database.url().jdbcUrl() + "\"",
                            "  database.user = \"" + database.url().user().orElse("") + "\"",
                            "  batch { min-size = 1, max-size = 1 }",
                            "  policies.flow-runs {",
                            "    older-than = 30d, batch-size = 1, strategy = index, max-fraction = 1.0",
                            "    archive { schema = runsweep_archive, directory = \"" + archive + "\" }",
                            "  }",
                            "}",
                            ""));
            Process sweep = Cli.process("sweep", "--config", config.toString(), "--policy", "flow-runs")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sweep.log").toFile())
                    .start();
            long left;
            try {
                try {
                    Await.until(
                            Duration.ofSeconds(120),
                            "the sweep to have deleted some flow runs",
                            () -> before.get("flow_run").size() - count(database, "flow_run"),
                            n -> n >= 5);
                } catch (AssertionError e) {
                    throw new AssertionError(
                            e.getMessage() + "; the sweep's output: " + Files.readString(dir.resolve("sweep.log")), e);
                }
                sweep.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no manifest
                assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
            } finally {
                sweep.destroyForcibly();
            }
            assertEquals(137, sweep.exitValue(), Files.readString(dir.resolve("sweep.log")));
            Map<String, Set<String>> gone = gone(before, ids(database));
            left = count(database, "flow_run");
            assertTrue(
                    left > 0 && !gone.get("flow_run").isEmpty(),
                    "killed mid-run: " + gone.get("flow_run").size());

            Map<String, Set<String>> inFiles = idsInFiles(archive.resolve("flow-runs"));
            for (String table : TABLES) {
                assertTrue(
                        inFiles.get(table).containsAll(gone.get(table)),
                        table + ": deleted but not in the files: " + missing(gone.get(table), inFiles.get(table)));
            }
            assertEquals(gone, idsInTables(database), "the archive tables commit with the deletes, or not at all");

            Cli list = Cli.run(Map.of(), Clock.systemUTC(), "archive", "list", "--config", config.toString());
            assertEquals(0, list.exitCode(), list.err());
            assertTrue(list.out().contains("interrupted (no manifest)"), list.out());

            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                s.execute(kind == DatabaseKind.POSTGRESQL ? "DROP TRIGGER slow ON flow_run" : "DROP TRIGGER slow");
            }
            Files.writeString(
                    config,
                    Files.readString(config)
                            .replace("min-size = 1, max-size = 1", "min-size = 100, max-size = 10000")
                            .replace("batch-size = 1,", "batch-size = 100,"));
            Cli again = Cli.run(
                    Map.of(), Clock.systemUTC(), "sweep", "--config", config.toString(), "--policy", "flow-runs");
            assertEquals(0, again.exitCode(), again.out() + again.err());
            Map<String, Set<String>> allGone = gone(before, ids(database));
            Map<String, Set<String>> allInFiles = idsInFiles(archive.resolve("flow-runs"));
            for (String table : TABLES) {
                assertTrue(allInFiles.get(table).containsAll(allGone.get(table)), table);
            }

            Cli restore = Cli.run(
                    Map.of(),
                    Clock.systemUTC(),
                    "archive",
                    "restore",
                    "--config",
                    config.toString(),
                    "--policy",
                    "flow-runs",
                    "--from",
                    "directory");
            assertEquals(0, restore.exitCode(), restore.out() + restore.err());
            List<String> rowsAfter = snapshot(database);
            assertEquals(List.of(), difference(rowsBefore, rowsAfter), "rows not back as they were: " + restore.out());
            assertEquals(List.of(), difference(rowsAfter, rowsBefore), "rows that were not there: " + restore.out());
        }
    }

    private static void seed(Database database, DatabaseKind kind) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            PrefectSchema.create(c, SchemaDialect.of(kind));
            new PrefectSeeder(SeedOptions.builder()
                            .flowRuns(120)
                            .days(120)
                            .now(NOW)
                            .seed(7)
                            .build())
                    .seed(c, SchemaDialect.of(kind));
            // Slow deletes of flow runs, so that the kill lands inside a batch's transaction more often than not.
            if (kind == DatabaseKind.POSTGRESQL) {
                s.execute("CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN PERFORM pg_sleep(0.1); RETURN NULL; END $$");
                s.execute("CREATE TRIGGER slow AFTER DELETE ON flow_run FOR EACH STATEMENT EXECUTE FUNCTION slow()");
            } else {
                s.execute("CREATE TRIGGER slow AFTER DELETE ON flow_run BEGIN SELECT count(*) FROM (WITH RECURSIVE"
                        + " c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000) SELECT x FROM c); END");
            }
        }
    }

    private static long count(Database database, String table) throws Exception {
        try (Connection c = database.connection()) {
            return new TestRows(c).count(table);
        }
    }

    private static Map<String, Set<String>> ids(Database database) throws Exception {
        Map<String, Set<String>> ids = new TreeMap<>();
        try (Connection c = database.connection()) {
            for (String table : TABLES) {
                ids.put(table, new TestRows(c).ids(table));
            }
        }
        return ids;
    }

    /**
     * Every row of every table, but for flow_run.parent_task_run_id: when a parent run's task runs go, the database
     * sets it NULL in its subflows (ON DELETE SET NULL), changing rows it does not delete; a subflow deleted later
     * is archived, and restored, as it was then.
     */
    private static List<String> snapshot(Database database) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= n; i++) {
                            boolean changedByTheDatabase =
                                    rs.getMetaData().getColumnName(i).equals("parent_task_run_id");
                            row.append('|').append(changedByTheDatabase ? "-" : rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    private static Map<String, Set<String>> gone(Map<String, Set<String>> before, Map<String, Set<String>> after) {
        Map<String, Set<String>> gone = new TreeMap<>();
        before.forEach((table, ids) -> {
            Set<String> left = new TreeSet<>(ids);
            left.removeAll(after.get(table));
            gone.put(table, left);
        });
        return gone;
    }

    private static List<String> difference(List<String> a, List<String> b) {
        Set<String> in = new TreeSet<>(a);
        in.removeAll(b);
        return List.copyOf(in);
    }

    private static Set<String> missing(Set<String> gone, Set<String> archived) {
        Set<String> missing = new TreeSet<>(gone);
        missing.removeAll(archived);
        return missing;
    }

    /**
     * The ids in the files as any gzip reader sees them: the members one after another, up to a last one a
     * crash may have cut short.
     */
    private static Map<String, Set<String>> idsInFiles(Path policyDirectory) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Set<String>> ids = new TreeMap<>();
        for (String table : TABLES) {
            Set<String> set = new TreeSet<>();
            Path tableDirectory = policyDirectory.resolve(table);
            if (Files.isDirectory(tableDirectory)) {
                try (Stream<Path> files = Files.list(tableDirectory)) {
                    for (Path file : files.toList()) {
                        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                set.add(json.readTree(line).get("id").asText());
                            }
                        } catch (EOFException e) {
                            // the last member, cut short: its batch never committed
                        }
                    }
                }
            }
            ids.put(table, set);
        }
        return ids;
    }

    private static Map<String, Set<String>> idsInTables(Database database) throws Exception {
        Map<String, Set<String>> ids = new TreeMap<>();
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            for (String table : TABLES) {
                String archiveTable = database.kind() == DatabaseKind.SQLITE
                        ? "runsweep_archive__" + table
                        : "runsweep_archive." + table;
                Set<String> set = new TreeSet<>();
                try (ResultSet rs = s.executeQuery("SELECT id FROM " + archiveTable)) {
                    while (rs.next()) {
                        set.add(rs.getString(1));
                    }
                }
                ids.put(table, set);
            }
        }
        return ids;
    }
}
