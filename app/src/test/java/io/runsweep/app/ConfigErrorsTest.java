package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration: every problem at once with file and line, exit 2, and the database never opened. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    @Test
    void everyProblemIsReportedWithFileAndLineAndNothingIsTouched() throws Exception {
        Path db = dir.resolve("never-created.db");
        Path config = dir.resolve("bad.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "runsweep {",
                        "  database.url = \"jdbc:sqlite:" + db + "\"",
                        "  policies.old-runs {",
                        "    table = \"flow_run; drop table flow\"",
                        "    time-column = end_time",
                        "    older-thn = 30d",
                        "    batch-size = lots",
                        "    schedule = \"every day\"",
                        "  }",
                        "}",
                        ""));
        Cli cli = Cli.run(Map.of(), Clock.systemUTC(), "sweep", "--config", config.toString());
        assertEquals(2, cli.exitCode());
        assertEquals("", cli.out());
        String err = cli.err();
        assertTrue(err.startsWith("runsweep: the configuration has 5 problems; nothing was run:\n"), err);
        assertTrue(err.contains(config + ": 4: runsweep.policies.old-runs.table: not a valid identifier"), err);
        assertTrue(
                err.contains(config + ": 6: unknown key 'runsweep.policies.old-runs.older-thn' (did you mean"
                        + " 'older-than'?)"),
                err);
        assertTrue(err.contains(config + ": 7: runsweep.policies.old-runs.batch-size:"), err);
        assertTrue(
                err.contains(
                        config + ": 8: runsweep.policies.old-runs.schedule: invalid cron expression"
                                + " 'every day': Illegal characters for this position: 'EVE' (Quartz cron: six or seven fields"),
                err);
        assertTrue(err.contains(config + ": 3: runsweep.policies.old-runs: missing required key 'older-than'"), err);
        assertFalse(Files.exists(db), "a bad configuration must not touch the database");
    }

    @Test
    void configCommandMasksPasswords() throws Exception {
        Path config = dir.resolve("ok.conf");
        Files.writeString(
                config,
                "runsweep {\n  preset = prefect\n"
                        + "  database.url = \"postgresql+asyncpg://prefect:s3cr3t-Pa55@db:5432/prefect\"\n"
                        + "  database.password = \"an0ther-s3cret\"\n}\n");
        Cli cli = Cli.run(Map.of(), Clock.systemUTC(), "config", "--config", config.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertFalse(cli.out().contains("s3cr3t-Pa55"), cli.out());
        assertFalse(cli.out().contains("an0ther-s3cret"), cli.out());
        assertTrue(cli.out().contains("prefect:****@db:5432/prefect"), cli.out());
        assertTrue(cli.out().contains("flow-runs"), cli.out());
        assertTrue(cli.out().contains("# database: jdbc:postgresql://db:5432/prefect"), cli.out());
    }

    /**
     * With a configuration file, the database comes from the file or a documented variable: a file that names
     * none is an error that says which variables were looked at, never a sweep of ~/.prefect/prefect.db.
     */
    @Test
    void aFileThatNamesNoDatabaseNeverFallsBackToPrefectsDefault() throws Exception {
        Path config = Files.writeString(dir.resolve("milvd.conf"), "runsweep.preset = prefect\n");

        Cli cli = Cli.run(Map.of(), Clock.systemUTC(), "sweep", "--config", config.toString(), "--dry-run");

        assertEquals(2, cli.exitCode(), cli.out() + cli.err());
        assertEquals("", cli.out());
        assertEquals(
                "runsweep: " + config + ": runsweep.database.url is not set, and none of the environment variables"
                        + " RUNSWEEP_DATABASE_URL, PREFECT_SERVER_DATABASE_CONNECTION_URL,"
                        + " PREFECT_API_DATABASE_CONNECTION_URL, PREFECT_HOME is set. Name the database in the file"
                        + " (runsweep.database.url = \"postgresql://user@host:5432/prefect\" or"
                        + " \"sqlite:////path/prefect.db\") or in one of those variables; with a configuration file,"
                        + " Runsweep never falls back to ~/.prefect/prefect.db\n",
                cli.err());

        Cli fromPrefect = Cli.run(
                Map.of("PREFECT_API_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:///" + dir.resolve("prefect.db")),
                Clock.systemUTC(),
                "config",
                "--config",
                config.toString());
        assertEquals(0, fromPrefect.exitCode(), fromPrefect.err());
        assertTrue(
                fromPrefect.out().endsWith("# database: jdbc:sqlite:" + dir.resolve("prefect.db") + "\n"),
                fromPrefect.out());
    }

    @Test
    void configCommandMasksEveryPasswordLikeJdbcParameter() throws Exception {
        Path config = Files.writeString(
                dir.resolve("ssl.conf"),
                "runsweep.database.url = \"jdbc:postgresql://db:5432/prefect?sslmode=verify-full&sslkey=/k.pk8"
                        + "&sslpassword=k3y-Pa55\"\n");

        Cli cli = Cli.run(Map.of(), Clock.systemUTC(), "config", "--config", config.toString());

        assertEquals(0, cli.exitCode(), cli.err());
        assertFalse(cli.out().contains("k3y-Pa55"), cli.out());
        assertTrue(
                cli.out()
                        .contains("    url = \"jdbc:postgresql://db:5432/prefect?sslmode=verify-full&sslkey=/k.pk8"
                                + "&sslpassword=****\"\n"),
                cli.out());
        assertTrue(
                cli.out()
                        .endsWith("# database: jdbc:postgresql://db:5432/prefect?sslmode=verify-full&sslkey=/k.pk8"
                                + "&sslpassword=****\n"),
                cli.out());
    }

    @Test
    void unreachableDatabaseFailsWithoutShowingThePassword() throws Exception {
        Path config = dir.resolve("ok.conf");
        Files.writeString(
                config,
                "runsweep {\n  preset = prefect\n  database.connect-timeout = 1s\n"
                        + "  database.url = \"postgresql://prefect:s3cr3t-Pa55@127.0.0.1:1/prefect\"\n}\n");
        Cli cli = Cli.run(Map.of(), Clock.systemUTC(), "sweep", "--config", config.toString());
        assertEquals(1, cli.exitCode());
        assertTrue(
                cli.err().startsWith("runsweep: Cannot open database jdbc:postgresql://127.0.0.1:1/prefect"),
                cli.err());
        assertFalse(cli.err().contains("s3cr3t-Pa55"), cli.err());
    }
}
