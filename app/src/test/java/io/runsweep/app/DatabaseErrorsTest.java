package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database that refuses Runsweep: the user reads its cause once, not once per wrapper around it. */
class DatabaseErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseThatRefusesTheConnectionIsOneLineWithItsCauseOnce() throws Exception {
        String url = TestPostgres.jdbcUrl("no_such_database");
        Path config = Files.writeString(
                dir.resolve("runsweep.conf"), "runsweep { preset = prefect, database.url = \"" + url + "\" }\n");

        Cli cli = Cli.run(Map.of(), Clock.systemUTC(), "sweep", "--config", config.toString());

        assertEquals(1, cli.exitCode());
        assertEquals(
                "runsweep: Cannot open database " + url + ": FATAL: database \"no_such_database\" does not exist"
                        + " (SQL state 3D000)\n(run with --verbose for the stack trace)\n",
                cli.err());
    }
}
