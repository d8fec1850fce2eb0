package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "runsweep partition run" and "runsweep partition plan" as a user runs them, against a real PostgreSQL. */
class PartitionCommandTest {
    private static final Clock MARCH = Clock.fixed(Instant.parse("2026-03-10T15:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    String url;
    Path config;

    @BeforeEach
    void database() throws Exception {
        url = TestPostgres.newDatabase();
        config = dir.resolve("runsweep.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "runsweep {",
                        "  database.url = \"" + url + "\"",
                        "  partitions.runs { table = \"Runs\", column = \"CreatedAt\", interval = monthly, premake = 1, retention = 2 }",
                        "}",
                        ""));
    }

    @Test
    void dryRunPrintsTheDdlAndTheFindingsAndChangesNothing() throws Exception {
        execute(
                "CREATE TABLE \"Runs\" (\"Id\" bigint, \"CreatedAt\" timestamptz NOT NULL) PARTITION BY RANGE (\"CreatedAt\")",
                "CREATE TABLE \"Runs_2025_12\" PARTITION OF \"Runs\" FOR VALUES FROM ('2025-12-01') TO ('2026-01-01')");

        Cli cli = Cli.run(Map.of(), MARCH, "partition", "run", "--config", config.toString(), "--dry-run");

        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(
                String.join(
                        "\n",
                        "DRY RUN: nothing was changed. A real run would run these statements.",
                        "",
                        "partition set runs (table Runs)",
                        "  expires partitions that end at or before 2026-01-01T00:00:00Z",
                        "  past retention: Runs_2025_12                              0 rows        0 B  (would drop)",
                        "  CREATE TABLE \"Runs_2026_03\" PARTITION OF \"Runs\" FOR VALUES FROM ('2026-03-01 00:00:00+00')"
                                + " TO ('2026-04-01 00:00:00+00');",
                        "  CREATE TABLE \"Runs_2026_04\" PARTITION OF \"Runs\" FOR VALUES FROM ('2026-04-01 00:00:00+00')"
                                + " TO ('2026-05-01 00:00:00+00');",
                        "  ALTER TABLE \"Runs\" DETACH PARTITION \"Runs_2025_12\" CONCURRENTLY;",
                        "  DROP TABLE \"Runs_2025_12\";",
                        "  future partitions: 0 of 1; default partition: none",
                        "  WARNING: no partition covers the current interval (2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z): its"
                                + " rows go to the default partition, or fail when there is none",
                        "  WARNING: only 0 of 1 future partitions exist",
                        "",
                        ""),
                cli.out().substring(0, cli.out().lastIndexOf("1 partition set")));
        assertTrue(cli.out().matches("(?s).*\n1 partition set, 0 failed \\([0-9.]+ s\\)\n"), cli.out());
        assertEquals(List.of("Runs_2025_12"), partitions());
    }

    @Test
    void runMakesAndExpiresPartitionsAndSaysWhatBecameOfEachStatement() throws Exception {
        execute(
                "CREATE TABLE \"Runs\" (\"Id\" bigint, \"CreatedAt\" timestamptz NOT NULL) PARTITION BY RANGE (\"CreatedAt\")",
                "CREATE TABLE \"Runs_2025_12\" PARTITION OF \"Runs\" FOR VALUES FROM ('2025-12-01') TO ('2026-01-01')");

        Cli cli = Cli.run(Map.of(), MARCH, "partition", "run", "--config", config.toString());

        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(
                cli.out()
                        .startsWith(String.join(
                                "\n",
                                "partition set runs (table Runs)",
                                "  expires partitions that end at or before 2026-01-01T00:00:00Z",
                                "  past retention: Runs_2025_12                              0 rows        0 B  (drop)",
                                "  CREATE TABLE \"Runs_2026_03\" PARTITION OF \"Runs\" FOR VALUES FROM ('2026-03-01 00:00:00+00')"
                                        + " TO ('2026-04-01 00:00:00+00');",
                                "    -- done in 1 attempt",
                                "  CREATE TABLE \"Runs_2026_04\" PARTITION OF \"Runs\" FOR VALUES FROM ('2026-04-01 00:00:00+00')"
                                        + " TO ('2026-05-01 00:00:00+00');",
                                "    -- done in 1 attempt",
                                "  ALTER TABLE \"Runs\" DETACH PARTITION \"Runs_2025_12\" CONCURRENTLY;",
                                "    -- done in 1 attempt",
                                "  DROP TABLE \"Runs_2025_12\";",
                                "    -- done in 1 attempt",
                                "  future partitions: 1 of 1; default partition: none",
                                "",
                                "1 partition set, 0 failed (")),
                cli.out());
        assertEquals(List.of("Runs_2026_03", "Runs_2026_04"), partitions());
    }

    @Test
    void aSetThatFailsExitsOneAndSaysWhy() throws Exception {
        Cli cli = Cli.run(Map.of(), MARCH, "partition", "run", "--config", config.toString());

        assertEquals(1, cli.exitCode(), cli.out());
        assertTrue(
                cli.out()
                        .contains("  FAILED: table \"Runs\" does not exist in the database (partition set defined at "
                                + config + ": 3)\n"),
                cli.out());
    }

    @Test
    void unknownSetIsAUsageError() {
        Cli cli = Cli.run(Map.of(), MARCH, "partition", "run", "--config", config.toString(), "--set", "nope");

        assertEquals(2, cli.exitCode());
        assertEquals("runsweep: unknown partition set 'nope'; configured sets: runs\n", cli.err());
    }

    @Test
    void planPrintsTheConversionOfAnUnpartitionedTableAndRunsNothing() throws Exception {
        execute(
                "CREATE TABLE \"Runs\" (\"Id\" bigint PRIMARY KEY, \"CreatedAt\" timestamptz NOT NULL)",
                "INSERT INTO \"Runs\" VALUES (1, '2026-02-14 00:00:00+00'), (2, '2026-03-09 12:00:00+00')");

        Cli cli = Cli.run(
                Map.of(),
                MARCH,
                "partition",
                "plan",
                "--config",
                config.toString(),
                "--table",
                "Runs",
                "--column",
                "CreatedAt",
                "--interval",
                "month",
                "--premake",
                "1");

        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(
                List.of(
                        "CREATE TABLE \"Runs_partitioned\" (LIKE \"Runs\" INCLUDING ALL EXCLUDING INDEXES)"
                                + " PARTITION BY RANGE (\"CreatedAt\");",
                        "ALTER TABLE \"Runs_partitioned\" ADD PRIMARY KEY (\"Id\", \"CreatedAt\");",
                        "CREATE TABLE \"Runs_2026_02\" PARTITION OF \"Runs_partitioned\" FOR VALUES FROM ('2026-02-01 00:00:00+00')"
                                + " TO ('2026-03-01 00:00:00+00');",
                        "CREATE TABLE \"Runs_2026_03\" PARTITION OF \"Runs_partitioned\" FOR VALUES FROM ('2026-03-01 00:00:00+00')"
                                + " TO ('2026-04-01 00:00:00+00');",
                        "CREATE TABLE \"Runs_2026_04\" PARTITION OF \"Runs_partitioned\" FOR VALUES FROM ('2026-04-01 00:00:00+00')"
                                + " TO ('2026-05-01 00:00:00+00');",
                        "INSERT INTO \"Runs_partitioned\" (\"Id\", \"CreatedAt\") SELECT \"Id\", \"CreatedAt\" FROM \"Runs\""
                                + " WHERE \"CreatedAt\" >= '2026-02-01 00:00:00+00' AND \"CreatedAt\" < '2026-03-01 00:00:00+00';",
                        "INSERT INTO \"Runs_partitioned\" (\"Id\", \"CreatedAt\") SELECT \"Id\", \"CreatedAt\" FROM \"Runs\""
                                + " WHERE \"CreatedAt\" >= '2026-03-01 00:00:00+00' AND \"CreatedAt\" < '2026-03-10 00:00:00+00';",
                        "BEGIN;",
                        "SET LOCAL lock_timeout = '2000ms';",
                        "LOCK TABLE \"Runs\" IN ACCESS EXCLUSIVE MODE;",
                        "INSERT INTO \"Runs_partitioned\" (\"Id\", \"CreatedAt\") SELECT \"Id\", \"CreatedAt\" FROM \"Runs\""
                                + " WHERE \"CreatedAt\" >= '2026-03-10 00:00:00+00';",
                        "ALTER TABLE \"Runs\" RENAME TO \"Runs_unpartitioned\";",
                        "ALTER TABLE \"Runs_partitioned\" RENAME TO \"Runs\";",
                        "COMMIT;"),
                cli.out()
                        .lines()
                        .filter(l -> !l.isEmpty() && !l.startsWith("--"))
                        .toList());
        assertEquals(List.of("Runs"), tables());
    }

    @Test
    void planOfAMissingColumnOrABadIntervalIsAUsageError() throws Exception {
        execute("CREATE TABLE \"Runs\" (\"Id\" bigint PRIMARY KEY, \"CreatedAt\" timestamptz NOT NULL)");

        Cli missing = Cli.run(
                Map.of(),
                MARCH,
                "partition",
                "plan",
                "--config",
                config.toString(),
                "--table",
                "Runs",
                "--column",
                "EndTime",
                "--interval",
                "month");
        Cli hourly = Cli.run(
                Map.of(),
                MARCH,
                "partition",
                "plan",
                "--config",
                config.toString(),
                "--table",
                "Runs",
                "--column",
                "CreatedAt",
                "--interval",
                "hour");

        assertEquals(List.of(2, 2), List.of(missing.exitCode(), hourly.exitCode()));
        assertEquals(
                "runsweep: table \"Runs\" has no column \"EndTime\"; its columns are [Id, CreatedAt]\n", missing.err());
        assertEquals("runsweep: --interval: expected day, week or month, got 'hour'\n", hourly.err());
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private List<String> partitions() throws SQLException {
        return strings("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = '\"Runs\"'::regclass ORDER BY 1");
    }

    private List<String> tables() throws SQLException {
        return strings(
                "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace"
                        + " ORDER BY 1");
    }

    private List<String> strings(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
