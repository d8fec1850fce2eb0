package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command's start does, as a real process whose loaded classes say what ran: picocli builds the command
 * the line names and no other, and logback takes its settings from {@code LogDefaults} without parsing XML.
 */
class StartupTest {
    private static final String LOG_LINE =
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) DEBUG \\S+ - .+";

    @TempDir
    Path dir;

    @Test
    void aCommandNamedAloneIsTheOnlyOneBuiltAndItsLogLinesNeedNoXml() throws Exception {
        Path db = dir.resolve("runs.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, ended TEXT NOT NULL)");
            s.execute("INSERT INTO runs (ended) VALUES ('2020-01-01 00:00:00'), ('2020-01-02 00:00:00')");
        }
        Path config = Files.writeString(
                dir.resolve("runsweep.conf"),
                "runsweep {\n  database.url = \"sqlite:///" + db + "\"\n"
                        + "  policies.runs { table = runs, time-column = ended, older-than = 1d }\n}\n");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process java = Cli.loggingClasses("-v", "sweep", "--config", config.toString(), "--dry-run")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        String classes = Files.readString(out);
        List<String> logLines = Files.readAllLines(err);
        assertEquals(0, java.exitValue(), String.join("\n", logLines));
        assertTrue(
                classes.contains("2 rows"),
                "the dry run's report: "
                        + classes.lines().filter(l -> !l.startsWith("[")).toList());
        assertTrue(classes.contains("io.runsweep.app.command.SweepCommand "), "the class log is there");
        for (String other :
                List.of("ConfigCommand", "ReportCommand", "DaemonCommand", "ArchiveCommand", "CheckCommand")) {
            assertTrue(!classes.contains("io.runsweep.app.command." + other + " "), other + " was built");
        }
        assertTrue(classes.contains("io.runsweep.app.process.LogDefaults "), "logback was configured by LogDefaults");
        assertEquals(
                List.of(),
                classes.lines()
                        .filter(l -> l.contains("JoranConfigurator")
                                || l.contains("joran.action.")
                                || l.contains(".xerces."))
                        .toList(),
                "classes that parse logback.xml");
        assertTrue(logLines.stream().anyMatch(l -> l.matches(LOG_LINE)), String.join("\n", logLines));
    }

    @Test
    void theCommandALineNamesIsItsFirstWordAfterTheVerboseFlagAlone() {
        assertEquals(Optional.of("sweep"), Main.namedCommand(new String[] {"sweep", "--dry-run"}));
        assertEquals(Optional.of("report"), Main.namedCommand(new String[] {"-v", "report"}));
        assertEquals(Optional.of("check"), Main.namedCommand(new String[] {"--verbose", "-v", "check", "-x"}));
        assertEquals(Optional.of("help"), Main.namedCommand(new String[] {"help", "sweep"}));
        assertEquals(Optional.empty(), Main.namedCommand(new String[] {"-x", "sweep"}));
        assertEquals(Optional.empty(), Main.namedCommand(new String[] {"@args.txt"}));
        assertEquals(Optional.empty(), Main.namedCommand(new String[] {"-v"}));
        assertEquals(Optional.empty(), Main.namedCommand(new String[] {}));
    }

    /** Lines that name no command, or one that is not there, still get answers that list every command. */
    @Test
    void linesThatNameNoCommandStillSeeThemAll() {
        Cli misspelt = Cli.run(Map.of(), Clock.systemUTC(), "swep");
        assertEquals(2, misspelt.exitCode());
        assertTrue(misspelt.err().contains("Did you mean: runsweep sweep"), misspelt.err());
        Cli none = Cli.run(Map.of(), Clock.systemUTC(), "-v");
        assertEquals(2, none.exitCode());
        for (String command : List.of(
                "sweep", "config", "report", "seed", "demo", "partition", "daemon", "maintain", "check", "archive")) {
            assertTrue(
                    none.err().lines().anyMatch(l -> l.startsWith("  " + command + " ")), command + ": " + none.err());
        }
        Cli unknownOption = Cli.run(Map.of(), Clock.systemUTC(), "-x", "sweep");
        assertEquals(2, unknownOption.exitCode());
        assertTrue(unknownOption.err().contains("  daemon "), unknownOption.err());
    }
}
