package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code runsweep sweep --dry-run} stopped by SIGTERM while a read waits (here, for a lock a migration holds; on a
 * large table, a count that takes minutes), as a real process: the read is cancelled in the server, not left to run
 * on there after the process has exited, and the command ends at once with 143, naming the policy it did not finish.
 */
class DryRunSignalTest {
    @TempDir
    Path dir;

    @Test
    void aStoppedDryRunCancelsTheReadItWaitsOnAndExitsAtOnce() throws Exception {
        String url = TestPostgres.newDatabase();
        String database = url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE run (id bigserial PRIMARY KEY, created timestamptz NOT NULL)");
            s.execute("INSERT INTO run (created) SELECT now() - n * interval '1 day' FROM generate_series(1, 60) n");
        }
        Path config = Files.writeString(
                dir.resolve("runsweep.conf"),
                String.join(
                        "\n",
                        "runsweep {",
                        "  database { url = \"" + url + "\", lock-timeout = 10m }",
                        "  policies.runs { table = run, time-column = created, older-than = 30d }",
                        "}",
                        ""));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        try (Connection migration = DriverManager.getConnection(url);
                Statement s = migration.createStatement()) {
            migration.setAutoCommit(false);
            s.execute("LOCK TABLE run IN ACCESS EXCLUSIVE MODE");
            Process dryRun = Cli.process("sweep", "--config", config.toString(), "--dry-run")
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            try {
                Await.until(
                        Duration.ofSeconds(60),
                        "the dry run to wait for the lock",
                        () -> sessionsWaitingForALock(database),
                        waiting -> waiting.size() == 1);
                long signalled = System.nanoTime();
                new ProcessBuilder("kill", "-TERM", String.valueOf(dryRun.pid()))
                        .start()
                        .waitFor();
                // Before the read was cancelled, the command waited the lock out, or 60 s for it.
                assertTrue(dryRun.waitFor(30, TimeUnit.SECONDS), "the dry run did not stop");
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
                assertTrue(tookMillis < 30_000, "took " + tookMillis + " ms");
            } finally {
                dryRun.destroyForcibly();
            }
            String report = Files.readString(out);
            assertEquals(143, dryRun.exitValue(), report + Files.readString(err));
            assertEquals(List.of(), sessionsWaitingForALock(database), "a read left waiting in the server");
            assertTrue(report.contains("not run, stopped by a stop signal (SIGTERM or Ctrl-C): runs\n"), report);
            assertTrue(report.matches("(?s).*\n1 policy, 0 failed, 1 not run \\(\\d+\\.\\d\\d s\\)\n"), report);
            assertTrue(!report.contains("FAILED") && !Files.readString(err).contains("canceling statement"), report);
            migration.rollback();
        }
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM run")) {
            rs.next();
            assertEquals(60, rs.getLong(1), "a dry run deletes nothing");
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
