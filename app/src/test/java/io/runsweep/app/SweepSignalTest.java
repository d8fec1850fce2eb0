package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code runsweep sweep} stopped by SIGTERM or Ctrl-C (SIGINT) in the middle of its first policy, as a real
 * process: the batch under way ends whole, the report lists the policy that never ran, and the exit code is
 * the signal's, 143 or 130, as README documents.
 */
class SweepSignalTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130"})
    void aStoppedSweepReportsWhatItDidNotRunAndExitsWithTheSignalsCode(String signal, int exitCode) throws Exception {
        Path db = dir.resolve("prefect.db");
        Cli seeded = Cli.run(
                Map.of(),
                Clock.systemUTC(),
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
        long before = logs(db);
        Path config = Files.writeString(
                dir.resolve("runsweep.conf"),
                String.join(
                        "\n",
                        "runsweep {",
                        "  preset = prefect",
                        "  database.url = \"sqlite:///" + db + "\"",
                        "  batch { min-size = 10, max-size = 10, pause = 100ms }",
                        "  policies.logs { older-than = 10d, batch-size = 10, strategy = index }",
                        "}",
                        ""));
        Path out = dir.resolve("out.txt");
        Process sweep = Cli.process("sweep", "--config", config.toString(), "--policy", "logs", "--policy", "events")
                .redirectOutput(out.toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
        try {
            Await.until(Duration.ofSeconds(60), "the sweep to delete", () -> logs(db), n -> n < before);
            new ProcessBuilder("kill", "-" + signal, String.valueOf(sweep.pid()))
                    .start()
                    .waitFor();
            assertTrue(sweep.waitFor(60, TimeUnit.SECONDS), "the sweep did not stop");
        } finally {
            sweep.destroyForcibly();
        }

        String report = Files.readString(out);
        assertEquals(exitCode, sweep.exitValue(), report + Files.readString(dir.resolve("err.txt")));
        assertTrue(report.contains("logs               stopped at a stop signal (SIGTERM or Ctrl-C); about "), report);
        assertTrue(report.contains("\nnot run, stopped by a stop signal (SIGTERM or Ctrl-C): events\n"), report);
        assertTrue(report.matches("(?s).*\n2 policies, 0 failed, 1 not run \\(\\d+\\.\\d\\d s\\)\n"), report);
    }

    private static long logs(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM log")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
