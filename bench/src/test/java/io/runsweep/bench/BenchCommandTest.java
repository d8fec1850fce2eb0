package io.runsweep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.bench.measure.RowDigest;
import io.runsweep.sql.testing.SystemPostgres;
import io.runsweep.sql.testing.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code runsweep bench} at a small size, as a user runs it: every method must delete exactly the rows the
 * data set was built to have expire, checked against Ids computed here from the generator's own rules.
 * Times are never asserted; only that they are printed.
 */
class BenchCommandTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    static final List<String> METHODS = List.of("one DELETE", "Id IN loop", "runsweep engine");
    static final String TIME = "[\\d.]+ m?s";
    static final String LATENCY = "[\\d.]+ m?s";

    @Test
    void everyMethodDeletesTheSameRowsInEveryScenarioOnEmbeddedPostgresAndSqlite() throws Exception {
        Cli cli = Cli.run("--rows", "20000", "--only", "postgresql,sqlite", "--repeat", "2");

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        String[] blocks = cli.out().split("\n\n");
        assertEquals(6, blocks.length, cli.out());
        assertTrue(
                blocks[0].matches("runsweep bench on " + Runtime.getRuntime().availableProcessors() + " cores \\(load"
                        + " average [\\d.]+ at the start\\), .+, max heap [\\d.]+ MiB"),
                blocks[0]);
        assertTrue(blocks[5].matches("load average [\\d.]+ at the end\n"), blocks[5]);

        String left = postgresLeft(20_000, 17_500).text();
        String backlog = blocks[1];
        assertTrue(
                backlog.startsWith("PostgreSQL 15.8, backlog: 20,000 rows in runsweep_bench.JobOccurrences ("),
                backlog);
        assertTrue(backlog.contains(" with its 4 indexes), 14,000 expiring; load average "), backlog);
        assertTrue(
                backlog.contains("each method ran 2 times, each on a fresh copy, in rounds whose order alternates"),
                backlog);
        methodLines(backlog, "14,000", false);
        assertTrue(
                backlog.contains("every method deleted the same 14,000 rows and left the same 6,000 (digest of the"
                        + " Ids left " + left + ")\n"),
                backlog);
        serverLines(backlog);
        assertTrue(
                Pattern.compile("(?m)^runsweep engine heap: [\\d.]+ MiB in use at its start \\(after a collection\\),"
                                + " peak [\\d.]+ MiB[ ,].*; it allocated [\\d.]+ MiB$")
                        .matcher(backlog)
                        .find(),
                backlog);
        targets(
                backlog,
                "runsweep engine at most 1.10x one DELETE",
                "runsweep engine at least 3x faster than the Id IN" + " loop",
                "no runsweep engine transaction longer than 0.5 s",
                "the server's writes: p99 during the runsweep engine no worse than during one DELETE",
                "no wait on the runsweep engine's locks above 200 ms");

        // The same rows, stored with old and new ones mixed through the heap: the same rows must go.
        String interleaved = blocks[2];
        assertTrue(
                interleaved.startsWith("PostgreSQL 15.8, backlog, interleaved heap: 20,000 rows in"
                        + " runsweep_bench.JobOccurrences ("),
                interleaved);
        methodLines(interleaved, "14,000", false);
        assertTrue(
                interleaved.contains("every method deleted the same 14,000 rows and left the same 6,000 (digest of"
                        + " the Ids left " + left + ")\n"),
                interleaved);
        serverLines(interleaved);
        targets(
                interleaved,
                "runsweep engine at most 1.10x one DELETE",
                "runsweep engine at least 3x faster than the Id IN" + " loop",
                "no runsweep engine transaction longer than 0.5 s",
                "the server's writes: p99 during the runsweep engine no worse than during one DELETE",
                "no wait on the runsweep engine's locks above 200 ms");

        String steady = blocks[3];
        assertTrue(
                steady.startsWith("PostgreSQL 15.8, steady state: 20,000 rows in runsweep_bench.JobOccurrences ("),
                steady);
        methodLines(steady, "267", false);
        assertTrue(
                steady.contains("every method deleted the same 267 rows and left the same 19,733 (digest of the Ids"
                        + " left " + postgresLeft(20_000, 333).text() + ")\n"),
                steady);
        serverLines(steady);
        targets(
                steady,
                "runsweep engine at most 1.5x one DELETE, or at most 50 ms more",
                "the server's writes: p99 during the runsweep engine no worse than during one DELETE",
                "no wait on the runsweep engine's locks above 200 ms");

        String sqlite = blocks[4];
        assertTrue(sqlite.startsWith("SQLite 3.47.1, backlog: 20,000 rows in log ("), sqlite);
        assertTrue(sqlite.contains(" file), 14,000 expiring; load average "), sqlite);
        assertTrue(
                sqlite.contains(
                        "  writer p99  writer wait  writer failures   log peak    no-wait p99, max  every run\n"),
                sqlite);
        methodLines(sqlite, "14,000", true);
        assertTrue(
                sqlite.contains("every method deleted the same 14,000 rows and left the same 6,000 (digest of the"
                        + " Ids left " + sqliteLeft(20_000, 14_000).text() + ")\n"),
                sqlite);
        targets(
                sqlite,
                "runsweep engine at most 1.30x one DELETE",
                "runsweep engine never slower than the Id IN loop",
                "the writer never waits more than 250 ms during" + " the runsweep engine",
                "the writer never fails during the runsweep engine");

        // Before each scenario's first measured run, the engine runs once on a copy of its own, unmeasured.
        for (String scenario : List.of(
                "PostgreSQL backlog",
                "PostgreSQL backlog, interleaved heap",
                "PostgreSQL steady state",
                "SQLite backlog")) {
            String warmUp = "bench: " + scenario + ": warming up the engine on 20,000 rows (not measured)\n";
            int at = cli.err().indexOf(warmUp);
            assertTrue(at >= 0 && at == cli.err().lastIndexOf(warmUp), cli.err());
            assertTrue(at < cli.err().indexOf("bench: " + scenario + ": running one DELETE (run 1 of 2)"), cli.err());
        }
        assertTrue(cli.err().contains("bench: starting an embedded PostgreSQL server\n"), cli.err());
        assertTrue(
                cli.err().contains("bench: PostgreSQL backlog, table for one DELETE: 20,000 of 20,000 rows\n"),
                cli.err());
        // Rounds alternate: the second starts with the method the first ended with.
        assertTrue(
                cli.err()
                        .contains("bench: PostgreSQL backlog, interleaved heap: running runsweep engine (run 2 of 2),"
                                + " the scheduler's server writing meanwhile\nbench: PostgreSQL backlog, interleaved"
                                + " heap, table for Id IN loop: "),
                cli.err());
    }

    @Test
    void theEngineOnOneConnectionAndWithTheServersWalAreMeasuredBesideTheOthersWhenAskedAndDeleteTheSameRows()
            throws Exception {
        Cli cli = Cli.run(
                "--only",
                "postgresql",
                "--scenario",
                "backlog",
                "--rows",
                "10000",
                "--repeat",
                "2",
                "--also-one-connection",
                "--also-server-wal");

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        String[] blocks = cli.out().split("\n\n");
        assertEquals(3, blocks.length, cli.out());
        assertTrue(
                blocks[0].endsWith("\nengine, pool 1: the runsweep engine with runsweep.database.pool-size = 1"
                        + " (--also-one-connection), PostgreSQL only: having no connection to spare, it counts the"
                        + " expiring rows before its first batch; the runsweep engine counts them beside its batches"
                        + "\nengine, server's WAL: the runsweep engine with runsweep.batch.compress-wal = false"
                        + " (--also-server-wal), PostgreSQL only: its batches write their WAL's full-page images as"
                        + " the server does; the runsweep engine compresses them with lz4 where the server has it and"
                        + " lets the role say so"),
                blocks[0]);
        List<String> methods =
                List.of("one DELETE", "Id IN loop", "runsweep engine", "engine, pool 1", "engine, server's WAL");
        String backlog = blocks[1];
        methodLines(backlog, "7,000", false, methods);
        assertTrue(
                backlog.contains("every method deleted the same 7,000 rows and left the same 3,000 (digest of the"
                        + " Ids left " + postgresLeft(10_000, 8_750).text() + ")\n"),
                backlog);
        serverLines(backlog, methods);
        // Judged as before: the targets are the shipped engine's.
        targets(
                backlog,
                "runsweep engine at most 1.10x one DELETE",
                "runsweep engine at least 3x faster than the Id IN" + " loop",
                "no runsweep engine transaction longer than 0.5 s",
                "the server's writes: p99 during the runsweep engine no worse than during one DELETE",
                "no wait on the runsweep engine's locks above 200 ms");
        // Warmed up like the engine, and in the rounds' alternating order: last in the first, first in the second.
        assertTrue(
                cli.err()
                        .contains("bench: PostgreSQL backlog: warming up the engine on 10,000 rows (not measured)\n"
                                + "bench: PostgreSQL backlog, table for the warm-up of engine, pool 1: "),
                cli.err());
        assertTrue(
                cli.err()
                        .contains("bench: PostgreSQL backlog: running engine, server's WAL (run 1 of 2), the"
                                + " scheduler's server writing meanwhile\nbench: PostgreSQL backlog, table for engine,"
                                + " server's WAL: "),
                cli.err());
    }

    @Test
    void aTargetDurationOfItsOwnIsNamedUnderTheHeaderAndTheEngineStillDeletesTheSameRowsOnSqlite() {
        Cli cli = Cli.run("--only", "sqlite", "--sqlite-rows", "5000", "--repeat", "1", "--target-duration", "40");

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        String[] blocks = cli.out().split("\n\n");
        assertEquals(3, blocks.length, cli.out());
        assertTrue(
                blocks[0].endsWith("\nrunsweep engine with runsweep.batch.target-duration = 40ms (--target-duration);"
                        + " SQLite batches aim at three quarters of it"),
                blocks[0]);
        methodLines(blocks[1], "3,500", true);
        assertTrue(
                blocks[1].contains("every method deleted the same 3,500 rows and left the same 1,500 (digest of the"
                        + " Ids left " + sqliteLeft(5_000, 3_500).text() + ")\n"),
                blocks[1]);

        Cli json = Cli.run(
                "--only",
                "sqlite",
                "--sqlite-rows",
                "1000",
                "--repeat",
                "1",
                "--target-duration",
                "40",
                "--format",
                "json");
        assertEquals(0, json.exitCode(), json.out() + json.err());
        assertTrue(json.out().contains("\"engine_target_duration_ms\":40,"), json.out());
    }

    @Test
    void jsonOnAServerOfOnesOwnHasEveryFieldAndLeavesNoSchemaBehind() throws Exception {
        String url = TestPostgres.newDatabase();
        // A schema left by an interrupted bench carries the bench's mark, and is replaced.
        execute(
                url,
                "CREATE SCHEMA runsweep_bench",
                "COMMENT ON SCHEMA runsweep_bench IS 'runsweep bench scratch schema, dropped when the bench ends'");

        Cli cli = Cli.run(
                "--url",
                url,
                "--only",
                "postgresql",
                "--only",
                "sqlite",
                "--rows",
                "10000",
                "--sqlite-rows",
                "5000",
                "--repeat",
                "2",
                "--format",
                "json");

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        String json = cli.out();
        assertTrue(
                json.startsWith(
                        "{\"machine\":{\"cores\":" + Runtime.getRuntime().availableProcessors() + ",\"os\":\""),
                json);
        String number = "[\\d.E-]+";
        assertMatches(json, ",\"load_average_start\":" + number + ",\"load_average_end\":" + number + "}");
        assertTrue(
                json.contains(",\"same_rows\":true,\"results\":[{\"database\":\"postgresql\",\"server\":"
                        + "\"PostgreSQL 15.8\",\"scenario\":\"backlog\",\"table\":\"runsweep_bench.JobOccurrences\",\"rows\":10000,"
                        + "\"table_bytes\":"),
                json);
        assertMatches(
                json,
                ",\"expected_deletes\":7000,\"load_average\":" + number
                        + ",\"runs\":2,\"same_rows\":true,\"engine_wal_whole\":\"the server has no lz4 for its"
                        + " WAL \\(PostgreSQL 15 and later, built with lz4\\)\",\"methods\":\\[\\{\"method\":\"one"
                        + " DELETE\"");
        String digest = "\"remaining_digest\":\"" + postgresLeft(10_000, 8_750).text() + "\"";
        String latencies = "\\{\"count\":\\d+,\"p50_seconds\":" + number + ",\"p99_seconds\":" + number
                + ",\"max_seconds\":" + number + "}";
        String serverFields = "\"server\":\\{\"idle_writes\":" + latencies + ",\"writes\":" + latencies
                + ",\"lookups\":\\d+,\"lookups_locked\":\\d+,\"lock_waits\":" + latencies
                + ",\"failures\":0,\"first_error\":null,"
                + "\"wal_bytes\":\\d+,\"oldest_transaction_seconds\":" + number + ",\"xmin_age\":\\d+";
        String server = serverFields + "}";
        String step = "\\{\"step\":\"(before the first batch|beside the count of the matching rows|in the batches"
                + " alone|after the last batch)\",\"writes\":\\d+,\"longer_than_one_delete_p99\":\\d+}";
        String engineServer = serverFields + ",\"writes_by_step\":\\[" + step + "(," + step + ")*]}";
        for (String method : List.of("one DELETE", "Id IN loop")) {
            assertMatches(
                    json,
                    "\\{\"method\":\"" + method + "\",\"seconds\":" + number + ",\"seconds_each\":\\["
                            + number + "," + number + "],\"rows_deleted\":7000,"
                            + "\"rows_per_second\":\\d+,\"ratio_to_one_delete\":" + number
                            + ",\"longest_transaction_seconds\":"
                            + number
                            + ",\"longest_transaction_number\":\\d+,\"transactions\":\\d+,\"in_transactions_seconds\":"
                            + number + ",\"before_first_transaction_seconds\":" + number
                            + ",\"between_transactions_seconds\":" + number
                            + ",\"after_last_transaction_seconds\":" + number + ",\"remaining_rows\":3000,"
                            + digest
                            + ",\"error\":null,"
                            + "\"writer\":null," + server + ",\"heap\":null}");
        }
        assertMatches(
                json,
                "\\{\"method\":\"runsweep engine\",\"seconds\":" + number + ",\"seconds_each\":\\[" + number
                        + "," + number + "],\"rows_deleted\":7000,.*?"
                        + digest
                        + ",\"error\":null,\"writer\":null," + engineServer + ",\"heap\":\\{\"start_bytes\":\\d+,"
                        + "\"peak_used_bytes\":\\d+,\"peak_live_bytes\":(\\d+|null),\"collections\":\\d+,"
                        + "\"allocated_bytes\":\\d+}}");
        assertMatches(
                json,
                "\"targets\":\\[\\{\"target\":\"runsweep engine at most 1.10x one DELETE\",\"met\":"
                        + "(true,\"measured\":\"[^\"]+\",\"why\":null|false,\"measured\":\"[^\"]+\",\"why\":\"[^\"]+\")}");
        assertTrue(json.contains("\"scenario\":\"backlog-interleaved\""), json);
        assertTrue(json.contains("\"scenario\":\"steady-state\""), json);
        assertMatches(
                json,
                "\\{\"database\":\"sqlite\",\"server\":\"SQLite 3.47.1\",\"scenario\":\"backlog\","
                        + "\"table\":\"log\",\"rows\":5000,\"table_bytes\":\\d+,\"expected_deletes\":3500,"
                        + "\"load_average\":" + number + ",\"runs\":2,\"same_rows\":true,\"engine_wal_whole\":null,");
        assertMatches(
                json,
                "\"remaining_digest\":\"" + sqliteLeft(5_000, 3_500).text() + "\",\"error\":null,"
                        + "\"writer\":\\{\"inserts\":\\d+,\"failures\":\\d+,\"p50_seconds\":" + number
                        + ",\"p99_seconds\":" + number + ",\"longest_wait_seconds\":" + number + ","
                        + "\"first_error\":(null|\"[^\"]*\"),\"log_peak_bytes\":[1-9]\\d*,\"unwaited_inserts\":\\d+,"
                        + "\"unwaited_p99_seconds\":" + number + ",\"unwaited_max_seconds\":" + number
                        + "},\"server\":null");
        assertTrue(json.endsWith("],\"dry_runs\":[],\"footprint\":null}\n"), json);
        assertTrue(
                cli.err().contains("bench: dropping schema runsweep_bench, left by an interrupted bench\n"), cli.err());
        assertTrue(
                cli.err()
                        .contains(
                                "bench: PostgreSQL steady state: running runsweep engine (run 2 of 2), the scheduler's"
                                        + " server writing meanwhile\n"),
                cli.err());
        assertEquals(0, scalar(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'runsweep_bench'"));
    }

    @Test
    void theDryRunsCountsAreCheckedAgainstPlainCountsOnEmbeddedPostgresAndSqlite() {
        Cli cli = Cli.run("--only", "dry-run", "--dry-run-flow-runs", "300");

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        String[] blocks = cli.out().split("\n\n");
        assertEquals(4, blocks.length, cli.out());
        for (String block : List.of(blocks[1], blocks[2])) {
            assertMatches(
                    block,
                    "^(PostgreSQL 15.8|SQLite 3.47.1), dry run of the Prefect preset: 300 flow runs with their history;"
                            + " the largest table it reads is \\S+ \\([\\d.]+ MiB with its indexes\\)\n"
                            + "count\\(\\*\\) of \\S+ +" + TIME + "  each: " + TIME + ", " + TIME + ", " + TIME + "\n"
                            + "runsweep sweep --dry-run +" + TIME + "  each: " + TIME + ", " + TIME + ", " + TIME + "\n"
                            + "runsweep sweep --dry-run --estimate +" + TIME + "  each: " + TIME + ", " + TIME + ", "
                            + TIME + "\n"
                            + "every one of the \\d+ counts it reported equals a plain count of the same rows; the"
                            + " slowest of those, the count of [a-z_]+ for policy [a-z-]+, took " + TIME + " alone\n");
            targets(
                    block,
                    "the Prefect preset's dry run at most 2x one count(*) of the largest table it reads",
                    "with --estimate, at most 2x one count(*) of the largest table it reads",
                    "every count the dry run reports is exact");
        }
        assertTrue(blocks[1].startsWith("PostgreSQL"), blocks[1]);
        assertTrue(blocks[2].startsWith("SQLite"), blocks[2]);
    }

    @Test
    void theFootprintIsMeasuredWithTheGivenJvmFlags() {
        Path jar = Path.of("..", "app", "target", "runsweep.jar");
        Assumptions.assumeTrue(
                Files.isRegularFile(jar),
                "runsweep.jar is not built (app/target/runsweep.jar): the footprint needs it; run mvn package first");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc: the footprint is read from it");

        Cli cli = Cli.run(
                "--only",
                "footprint",
                "--runsweep-jar",
                jar.toString(),
                "--jvm-flags",
                "-Xmx64m",
                "--footprint-seconds",
                "5");

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        String[] blocks = cli.out().split("\n\n");
        assertEquals(3, blocks.length, cli.out());
        String footprint = blocks[1];
        assertMatches(
                footprint,
                "^runsweep.jar as a process, JVM flags: -Xmx64m\n"
                        + "java -jar runsweep.jar --help +" + TIME + "  each: (" + TIME + ", ){4}" + TIME + "\n"
                        + "daemon, idle +[\\d.]+ MiB  resident, the Prefect preset's policies scheduled, none due\n"
                        + "daemon, ten policies a second +[\\d.]+ MiB  resident at the peak; \\d+ policy runs of 50 due"
                        + " in 5 s\n");
        targets(
                footprint,
                "java -jar runsweep.jar --help under 0.5 s",
                "the daemon idle under 100 MiB resident",
                "the daemon under 200 MiB resident with ten policies a second");
        assertFalse(footprint.contains(" 0 policy runs of"), footprint);
    }

    @Test
    void refusesASchemaItDidNotCreateAndLeavesItAlone() throws Exception {
        String url = TestPostgres.newDatabase();
        execute(
                url,
                "CREATE SCHEMA runsweep_bench",
                "CREATE TABLE runsweep_bench.precious (id int)",
                "INSERT INTO runsweep_bench.precious VALUES (1)");

        Cli cli = Cli.run("--url", url, "--only", "postgresql", "--rows", "1000", "--repeat", "1");

        assertEquals(1, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.out().matches("runsweep bench on [^\n]+\n"), "only the header line: " + cli.out());
        assertTrue(
                cli.err()
                        .startsWith("runsweep-bench: schema \"runsweep_bench\" already exists in this database and was"
                                + " not created by runsweep bench, which touches nothing it did not create; drop or rename it, or give"
                                + " --url another database\n"),
                cli.err());
        assertEquals(1, scalar(url, "SELECT count(*) FROM runsweep_bench.precious"));
    }

    @Test
    void badOptionsExitTwoAndTouchNothing() {
        Cli tooFew = Cli.run("--rows", "10");
        assertEquals(2, tooFew.exitCode());
        assertEquals("runsweep-bench: --rows and --sqlite-rows must be at least 1000\n", tooFew.err());

        Cli sqliteUrl = Cli.run("--url", "sqlite:///tmp/x.db");
        assertEquals(2, sqliteUrl.exitCode());
        assertEquals(
                "runsweep-bench: --url must name a PostgreSQL database; the SQLite parts always use files of their own"
                        + " in a temporary folder\n",
                sqliteUrl.err());

        Cli repeat = Cli.run("--repeat", "0");
        assertEquals(2, repeat.exitCode());
        assertEquals("runsweep-bench: --repeat must be 1 to 25\n", repeat.err());

        Cli part = Cli.run("--only", "mysql");
        assertEquals(2, part.exitCode());
        assertTrue(part.err().startsWith("runsweep-bench: Invalid value for option '--only'"), part.err());

        Cli flowRuns = Cli.run("--dry-run-flow-runs", "10");
        assertEquals(2, flowRuns.exitCode());
        assertEquals("runsweep-bench: --dry-run-flow-runs must be at least 100\n", flowRuns.err());

        Cli urlForSqlite = Cli.run("--url", "jdbc:postgresql://localhost/x", "--only", "sqlite");
        assertEquals(2, urlForSqlite.exitCode());
        assertEquals(
                "runsweep-bench: --url names a PostgreSQL server; it has no use with --only sqlite\n",
                urlForSqlite.err());

        Cli oneConnection = Cli.run("--only", "sqlite", "--also-one-connection");
        assertEquals(2, oneConnection.exitCode());
        assertEquals(
                "runsweep-bench: --also-one-connection measures the PostgreSQL engine; it needs the postgresql part\n",
                oneConnection.err());

        Cli serverWal = Cli.run("--only", "sqlite", "--also-server-wal");
        assertEquals(2, serverWal.exitCode());
        assertEquals(
                "runsweep-bench: --also-server-wal measures the PostgreSQL engine; it needs the postgresql part\n",
                serverWal.err());

        Cli target = Cli.run("--target-duration", "5");
        assertEquals(2, target.exitCode());
        assertEquals("runsweep-bench: --target-duration must be 10 to 60000 milliseconds\n", target.err());

        Cli jar = Cli.run("--only", "footprint", "--runsweep-jar", "/nonexistent/runsweep.jar");
        assertEquals(2, jar.exitCode());
        assertEquals("runsweep-bench: --runsweep-jar: no file /nonexistent/runsweep.jar\n", jar.err());

        Cli scenario = Cli.run("--only", "postgresql", "--scenario", "steady");
        assertEquals(2, scenario.exitCode());
        assertEquals(
                "runsweep-bench: --scenario: no scenario 'steady'; there are backlog, backlog-interleaved,"
                        + " steady-state\n",
                scenario.err());

        Cli binariesAndUrl =
                Cli.run("--server-binaries", "/usr/lib/postgresql/15/bin", "--url", "jdbc:postgresql://localhost/x");
        assertEquals(2, binariesAndUrl.exitCode());
        assertEquals(
                "runsweep-bench: --server-binaries starts a server for the bench; --url names one already running:"
                        + " give one or the other\n",
                binariesAndUrl.err());

        Cli noBinaries = Cli.run("--server-binaries", "/nonexistent/bin", "--only", "postgresql");
        assertEquals(2, noBinaries.exitCode());
        assertEquals("runsweep-bench: --server-binaries: no initdb in /nonexistent/bin\n", noBinaries.err());

        Cli binariesForSqlite = Cli.run("--server-binaries", "/usr/lib/postgresql/15/bin", "--only", "sqlite");
        assertEquals(2, binariesForSqlite.exitCode());
        assertEquals(
                "runsweep-bench: --server-binaries starts a PostgreSQL server; it has no use with --only sqlite\n",
                binariesForSqlite.err());

        Cli scenarioForSqlite = Cli.run("--only", "sqlite", "--scenario", "steady-state");
        assertEquals(2, scenarioForSqlite.exitCode());
        assertEquals(
                "runsweep-bench: --scenario chooses PostgreSQL scenarios; it needs the postgresql part\n",
                scenarioForSqlite.err());
    }

    @Test
    void aServerFromInstalledBinariesBuiltWithLz4LetsTheEngineCompressItsWalAndEveryMethodDeletesTheSameRows()
            throws Exception {
        Assumptions.assumeTrue(
                SystemPostgres.missing().isEmpty(),
                () -> SystemPostgres.missing().orElseThrow());
        long foldersBefore = benchServerFolders();

        Cli cli = Cli.run(
                "--server-binaries",
                "/usr/lib/postgresql/15/bin",
                "--only",
                "postgresql",
                "--scenario",
                "backlog-interleaved",
                "--rows",
                "10000",
                "--repeat",
                "1");

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        assertTrue(
                cli.err().contains("bench: starting a PostgreSQL server from /usr/lib/postgresql/15/bin\n"), cli.err());
        String[] blocks = cli.out().split("\n\n");
        assertEquals(3, blocks.length, cli.out());
        String interleaved = blocks[1];
        assertMatches(
                interleaved,
                "^PostgreSQL 15\\.\\d+ \\(Debian [^)]+\\), backlog, interleaved heap: 10,000 rows in"
                        + " runsweep_bench.JobOccurrences \\(");
        methodLines(interleaved, "7,000", false);
        assertTrue(
                interleaved.contains("every method deleted the same 7,000 rows and left the same 3,000 (digest of"
                        + " the Ids left " + postgresLeft(10_000, 8_750).text() + ")\n"),
                interleaved);
        // The advice the embedded server's run gives, taken: the batches compress their images.
        serverLines(
                interleaved,
                METHODS,
                Pattern.quote("the runsweep engine's batches wrote their WAL's full-page images compressed with lz4"));
        assertFalse(interleaved.contains("not compressed with lz4"), interleaved);
        // The server is stopped and its folder deleted.
        assertEquals(foldersBefore, benchServerFolders());
    }

    private static long benchServerFolders() throws Exception {
        try (java.util.stream.Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("runsweep-bench-pg-"))
                    .count();
        }
    }

    @Test
    void onlyTheChosenScenarioRunsOnAServerOfOnesOwn() throws Exception {
        String url = TestPostgres.newDatabase();

        Cli cli = Cli.run(
                "--url",
                url,
                "--only",
                "postgresql",
                "--scenario",
                "steady-state",
                "--rows",
                "2000",
                "--repeat",
                "1",
                "--format",
                "json");

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.out().contains("\"scenario\":\"steady-state\""), cli.out());
        assertFalse(cli.out().contains("\"scenario\":\"backlog"), cli.out());
    }

    /** One line per method, its exact name first, then time, rows deleted, rows/s, ratio, longest transaction. */
    private static void methodLines(String block, String deleted, boolean writer) {
        methodLines(block, deleted, writer, METHODS);
    }

    private static void methodLines(String block, String deleted, boolean writer, List<String> methods) {
        for (String method : methods) {
            String line = "(?m)^" + Pattern.quote(method) + " +" + TIME + " +" + Pattern.quote(deleted)
                    + " +[\\d,]+ +[\\d.]+ +" + TIME + " \\(#\\d+\\) +[\\d,]+"
                    + (writer
                            ? " +" + LATENCY + " +" + TIME + " +[\\d,]+ of [\\d,]+ +[\\d.]+ MiB +(" + LATENCY + ", "
                                    + LATENCY + "|-)"
                            : "")
                    + "( +(" + TIME
                    + ", )+" + TIME + ")?$";
            assertEquals(1, Pattern.compile(line).matcher(block).results().count(), method + " in\n" + block);
        }
        assertFalse(block.contains("ROWS DIFFER"), block);
    }

    /**
     * What the scheduler's server felt: a line without a purge, then one per method, then the snapshots held, then
     * how the engine's batches wrote their full-page images (on the embedded server unless {@code wal} says otherwise).
     */
    private static void serverLines(String block) {
        serverLines(block, METHODS);
    }

    private static void serverLines(String block, List<String> methods) {
        serverLines(block, methods, embeddedWal());
    }

    /**
     * On the embedded server, built without lz4, the engine's batches write their images whole. Where Debian's
     * PostgreSQL 15 is installed (built with lz4), the bench says how to bench on it.
     */
    private static String embeddedWal() {
        return Pattern.quote("the runsweep engine's batches wrote their WAL's full-page images whole, as the server"
                        + " does: the server has no lz4 for its WAL (PostgreSQL 15 and later, built with lz4)")
                + (SystemPostgres.missing().isEmpty()
                        ? "; --server-binaries /usr/lib/postgresql/\\d+/bin benches on this machine's PostgreSQL"
                                + " \\d+\\.\\d+( \\(.+\\))?, built with lz4"
                        : "(; --server-binaries .+, built with lz4)?");
    }

    private static void serverLines(String block, List<String> methods, String wal) {
        assertTrue(
                block.contains("what the scheduler's server felt: its writes (a run started and one finished, each with"
                        + " a log line, 100 a second) and its lookups of expiring rows FOR KEY SHARE (50 a second)\n"
                        + "method           writes p50        p99        max failures   lock waits   longest wait"
                        + "  WAL written oldest xact\n"),
                block);
        assertTrue(
                Pattern.compile("(?m)^no purge +" + LATENCY + " +" + LATENCY + " +" + LATENCY + " *$")
                        .matcher(block)
                        .find(),
                block);
        for (String method : methods) {
            String line = "(?m)^" + Pattern.quote(method) + " +" + LATENCY + " +" + LATENCY + " +" + LATENCY
                    + " +0 +[\\d,]+ of [\\d,]+ +" + LATENCY + " +[\\d.]+ MiB +" + TIME + "$";
            assertEquals(1, Pattern.compile(line).matcher(block).results().count(), method + " in\n" + block);
        }
        assertTrue(
                Pattern.compile("(?m)^oldest snapshot held \\(xmin age, in transactions\\): "
                                + methods.stream()
                                        .map(m -> Pattern.quote(m) + " [\\d,]+")
                                        .collect(Collectors.joining(", "))
                                + "$")
                        .matcher(block)
                        .find(),
                block);
        assertTrue(Pattern.compile("(?m)^" + wal + "$").matcher(block).find(), wal + " in\n" + block);
    }

    private static void targets(String block, String... targets) {
        String verdicts = block.substring(block.indexOf("targets:\n") + "targets:\n".length());
        String[] lines = verdicts.split("\n");
        assertEquals(targets.length, lines.length, verdicts);
        for (int i = 0; i < targets.length; i++) {
            assertTrue(lines[i].matches("  (met   |MISSED)  " + Pattern.quote(targets[i]) + ": .+"), lines[i]);
            assertEquals(lines[i].startsWith("  MISSED"), lines[i].contains("; why: "), lines[i]);
        }
    }

    /** The Ids the PostgreSQL generator gives row i, and which rows stay: all but the Completed among the old. */
    private static RowDigest postgresLeft(long rows, long oldRows) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        return left(rows, i -> i < oldRows && i % 10 < 8, i -> {
            String hex = HexFormat.of().formatHex(md5.digest(("occurrence-" + i).getBytes(StandardCharsets.UTF_8)));
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
        });
    }

    /** The ids the SQLite generator gives row i; every old row goes. */
    private static RowDigest sqliteLeft(long rows, long oldRows) {
        return left(
                rows,
                i -> i < oldRows,
                i -> String.format(
                        "%08x-%04x-4%03x-8%03x-%012x",
                        i * 2654435761L % 4294967296L, i * 40503 % 65536, i * 7 % 4096, i * 13 % 4096, i));
    }

    private static RowDigest left(long rows, java.util.function.LongPredicate goes, LongFunction<String> id) {
        RowDigest digest = RowDigest.EMPTY;
        for (long i = 0; i < rows; i++) {
            if (!goes.test(i)) {
                digest = digest.plus(id.apply(i));
            }
        }
        return digest;
    }

    private static void assertMatches(String text, String regex) {
        assertTrue(Pattern.compile(regex).matcher(text).find(), regex + " in\n" + text);
    }

    private static void execute(String url, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static long scalar(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The bench's command line run in-process, with what a user would see. */
    record Cli(int exitCode, String out, String err) {
        static Cli run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = BenchCommand.run(args, CLOCK, new PrintWriter(out), new PrintWriter(err));
            return new Cli(code, out.toString(), err.toString());
        }
    }
}
