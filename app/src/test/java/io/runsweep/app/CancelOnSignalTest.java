package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands stopped by SIGTERM while a statement that may be cut off waits (here, for a lock another session holds; on
 * a large table, for minutes of work), as real processes: the statement is cancelled in the server, not left to run on
 * there after the process has exited, and the command reports and ends at once with 143. A dry run's read names the
 * policy it did not finish; {@code maintain}'s VACUUM FULL, which would otherwise have gone on holding the table's
 * ACCESS EXCLUSIVE lock, says it was cancelled.
 */
class CancelOnSignalTest {
    @TempDir
    Path dir;

    @Test
    void aStoppedDryRunCancelsTheReadItWaitsOnAndExitsAtOnce() throws Exception {
        String url = databaseWithRuns();
        Path config = config(url, "");
        try (Connection migration = DriverManager.getConnection(url);
                Statement s = migration.createStatement()) {
            migration.setAutoCommit(false);
            s.execute("LOCK TABLE run IN ACCESS EXCLUSIVE MODE");

            String report = stoppedWhileWaiting(url, 143, 1, "sweep", "--config", config.toString(), "--dry-run");

            assertTrue(report.contains("not run, stopped by a stop signal (SIGTERM or Ctrl-C): runs\n"), report);
            assertTrue(report.matches("(?s).*\n1 policy, 0 failed, 1 not run \\(\\d+\\.\\d\\d s\\)\n"), report);
            assertFalse(report.contains("FAILED"), report);
            migration.rollback();
        }
        assertEquals(60, runs(url), "a dry run deletes nothing");
    }

    @Test
    void aStoppedMaintainCancelsItsVacuumFullAndSaysSo() throws Exception {
        String url = databaseWithRuns();
        Path config = config(url, "  maintenance.vacuum-full-tables = [run]");
        // A report someone left open: VACUUM FULL waits for its ACCESS SHARE lock.
        try (Connection reader = DriverManager.getConnection(url);
                Statement s = reader.createStatement()) {
            reader.setAutoCommit(false);
            s.executeQuery("SELECT count(*) FROM run").close();

            String report = stoppedWhileWaiting(url, 143, 1, "maintain", "--config", config.toString());

            assertTrue(
                    report.startsWith("VACUUM (FULL, ANALYZE) \"run\"" + " ".repeat(17) + "skipped\n"
                            + "    why: listed in vacuum-full-tables\n"
                            + "    cancelled while it ran, by a stop signal (SIGTERM or Ctrl-C); the next run does it"
                            + " again\n"),
                    report);
            assertTrue(report.contains("\n1 statement, 0 failed or refused, 1 skipped, 0 problems ("), report);
            reader.commit();
        }
        assertEquals(60, runs(url));
    }

    @Test
    void aStoppingDaemonCancelsItsMaintenanceJobsVacuumFull() throws Exception {
        String url = databaseWithRuns();
        Path config =
                daemonConfig(url, "  maintenance { vacuum-full-tables = [run], analyze-schedule = \"* * * * * ?\" }");
        try (Connection reader = DriverManager.getConnection(url);
                Statement s = reader.createStatement()) {
            reader.setAutoCommit(false);
            s.executeQuery("SELECT count(*) FROM run").close();

            String log = stoppedDaemonsLog(url, config, 1);

            assertTrue(
                    log.contains("maintenance - VACUUM (FULL, ANALYZE) \"run\": cancelled while it ran, by the daemon"
                            + " stopping; the next run does it again"),
                    log);
            assertTrue(log.contains("maintenance - stopped: maintained 0 tables; skipped 1 (see the log)"), log);
            reader.commit();
        }
        assertEquals(60, runs(url));
    }

    @Test
    void aStoppingDaemonCancelsThePlanningOfARunAndCallsItStopped() throws Exception {
        String url = databaseWithRuns();
        Path config = daemonConfig(url, "  policies.runs.schedule = \"* * * * * ?\"");
        try (Connection migration = DriverManager.getConnection(url);
                Statement s = migration.createStatement()) {
            migration.setAutoCommit(false);
            s.execute("LOCK TABLE run IN ACCESS EXCLUSIVE MODE");

            // The checks' first measuring and the policy's planning both wait for the migration's lock.
            String log = stoppedDaemonsLog(url, config, 2);

            assertTrue(
                    log.contains("runs - stopped: deleted no rows in 0 batches; stopped at the daemon stopping ("),
                    log);
            assertTrue(log.contains("checks - stopped: checked 0 tables"), log);
            assertFalse(log.contains("ERROR") || log.contains("WARN"), log);
            migration.rollback();
        }
        assertEquals(60, runs(url));
    }

    /**
     * Starts the command, sends SIGTERM once {@code waiting} of its sessions wait for a lock, and returns what it printed after
     * checking that it exited with {@code exitCode} within 30 s (where it waited the lock out before, or the daemon its
     * shutdown-timeout of 60 s) and left no session waiting.
     */
    private String stoppedWhileWaiting(String url, int exitCode, int waiting, String... command) throws Exception {
        String database = url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = Cli.process(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            Await.until(
                    Duration.ofSeconds(60),
                    "the command to wait for the lock",
                    () -> sessionsWaitingForALock(database),
                    queries -> queries.size() == waiting);
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
                    .start()
                    .waitFor();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the command did not stop");
        } finally {
            process.destroyForcibly();
        }
        String report = Files.readString(out);
        assertEquals(exitCode, process.exitValue(), report + Files.readString(err));
        assertEquals(List.of(), sessionsWaitingForALock(database), "a statement left waiting in the server");
        return report;
    }

    /** A daemon's configuration: {@link #config} with a free port and a shutdown-timeout longer than any wait here. */
    private Path daemonConfig(String url, String more) throws Exception {
        return config(
                url,
                String.join(
                        "\n", "  http { host = \"127.0.0.1\", port = 0 }", "  daemon.shutdown-timeout = 60s", more));
    }

    /** The daemon stopped by SIGTERM once {@code waiting} of its sessions wait for a lock: exit 0, and its log. */
    private String stoppedDaemonsLog(String url, Path config, int waiting) throws Exception {
        stoppedWhileWaiting(url, 0, waiting, "daemon", "--config", config.toString());
        return Files.readString(dir.resolve("err.txt")) + Files.readString(dir.resolve("out.txt"));
    }

    /** A new database with 60 runs, one a day back from now. */
    private static String databaseWithRuns() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE run (id bigserial PRIMARY KEY, created timestamptz NOT NULL)");
            s.execute("INSERT INTO run (created) SELECT now() - n * interval '1 day' FROM generate_series(1, 60) n");
        }
        return url;
    }

    private Path config(String url, String more) throws Exception {
        return Files.writeString(
                dir.resolve("runsweep.conf"),
                String.join(
                        "\n",
                        "runsweep {",
                        "  database { url = \"" + url + "\", lock-timeout = 10m }",
                        "  policies.runs { table = run, time-column = created, older-than = 30d }",
                        more,
                        "}",
                        ""));
    }

    private static long runs(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM run")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The queries of Runsweep's sessions in {@code database} that wait for a lock. */
    private static List<String> sessionsWaitingForALock(String database) throws Exception {
        try (Connection admin = TestPostgres.admin();
                PreparedStatement s = admin.prepareStatement("SELECT query FROM pg_stat_activity WHERE datname = ?"
                        + " AND application_name = 'runsweep' AND wait_event_type = 'Lock'")) {
            s.setString(1, database);
            List<String> queries = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    queries.add(rs.getString(1));
                }
            }
            return queries;
        }
    }
}
