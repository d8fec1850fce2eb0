package io.runsweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code include} in a user's file is read from the folder of the file that includes it, whatever the working
 * directory and however the file was named, and a missing one is an error at its line: a configuration never
 * loses, without a word, the lines that name its database.
 */
class IncludesTest {
    @TempDir
    Path dir;

    /** {@code --config milvd.conf}: a file named without a folder, found in the working directory. */
    @Test
    void aFileNamedWithoutAFolderIncludesItsNeighbour() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        String name = "includes-test-" + UUID.randomUUID();
        Path including = cwd.resolve(name + ".conf");
        Path included = cwd.resolve(name + "-db.conf");
        try {
            Files.writeString(included, "runsweep.database.url = \"sqlite:////data/milvaion.db\"\n");
            Files.writeString(including, "include \"" + included.getFileName() + "\"\nrunsweep.preset = prefect\n");

            Settings settings = ConfigFiles.load(Path.of(including.getFileName().toString()));

            assertEquals(
                    Optional.of("sqlite:////data/milvaion.db"),
                    settings.database().url());
        } finally {
            Files.deleteIfExists(including);
            Files.deleteIfExists(included);
        }
    }

    /** Typesafe Config reads {@code include file(...)} from the working directory; here, beside the file. */
    @Test
    void nestedIncludesAreReadFromTheFolderOfTheFileThatIncludesThem() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(
                dir.resolve("conf.d/database.conf"),
                "include file(\"password.conf\")\n"
                        + "runsweep.database.url = \"jdbc:postgresql://db:5432/prefect\"\n");
        Files.writeString(dir.resolve("conf.d/password.conf"), "runsweep.database.password = \"s3cret\"\n");
        Path main = Files.writeString(dir.resolve("runsweep.conf"), "include \"conf.d/database.conf\"\n");

        Settings settings = ConfigFiles.load(main);

        assertEquals(
                Optional.of("jdbc:postgresql://db:5432/prefect"),
                settings.database().url());
        assertEquals(Optional.of("s3cret"), settings.database().password().map(Secret::reveal));
    }

    @Test
    void aMissingIncludeIsAnErrorAtItsLine() throws Exception {
        Path main =
                Files.writeString(dir.resolve("milvd.conf"), "runsweep.preset = milvaion\n\ninclude \"milvp.conf\"\n");

        SettingsException e = assertThrows(SettingsException.class, () -> ConfigFiles.load(main));

        assertEquals(
                List.of(main + ": 3: include \"milvp.conf\": no such file " + dir.resolve("milvp.conf")
                        + " (an include is read from the folder of the file that includes it)"),
                e.problems());
    }

    /** Without the check, a missing include would fall back to a class-path resource of the same name. */
    @Test
    void anIncludeNeverReadsRunsweepsOwnResources() throws Exception {
        Path main = Files.writeString(dir.resolve("runsweep.conf"), "include \"reference.conf\"\n");

        SettingsException e = assertThrows(SettingsException.class, () -> ConfigFiles.load(main));

        assertEquals(
                List.of(main + ": 1: include \"reference.conf\": no such file " + dir.resolve("reference.conf")
                        + " (an include is read from the folder of the file that includes it)"),
                e.problems());
    }

    @Test
    void anIncludedFileIsNamedInTheMessagesAboutItsValues() throws Exception {
        Files.writeString(
                dir.resolve("policies.conf"), "runsweep.policies.logs {\n  table = log\n  older-than = 5\n}\n");
        Path main = Files.writeString(dir.resolve("runsweep.conf"), "include \"policies.conf\"\n");

        SettingsException e = assertThrows(
                SettingsException.class, () -> SettingsLoader.load(Optional.of(main), Map.of(), c -> Optional.empty()));

        assertEquals(
                List.of(
                        dir.resolve("policies.conf")
                                + ": 1: runsweep.policies.logs: missing required key 'time-column'",
                        dir.resolve("policies.conf")
                                + ": 3: runsweep.policies.logs.older-than: needs a unit, e.g. 30d, 12h, 10s; got 5"),
                e.problems());
    }
}
