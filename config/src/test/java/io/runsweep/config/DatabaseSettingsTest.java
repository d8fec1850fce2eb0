package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.ANY_CRON;
import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsComeFromReferenceConfAndEmptyStringsAreNotSet() throws Exception {
        Settings settings = SettingsLoader.load(Optional.empty(), Map.of(), ANY_CRON);

        assertEquals(
                new DatabaseSettings(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        2,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(10)),
                settings.database());
        assertEquals(Optional.empty(), settings.preset());
        assertEquals(Map.of(), settings.policies());
    }

    @Test
    void environmentMapFillsReferenceConfSubstitutions() throws Exception {
        Map<String, String> env = Map.of(
                "RUNSWEEP_DATABASE_URL", "jdbc:postgresql://db:5432/prefect",
                "RUNSWEEP_DATABASE_USER", "prefect",
                "RUNSWEEP_DATABASE_PASSWORD", "s3cret");

        DatabaseSettings db =
                load(write(dir, "runsweep.database.pool-size = 4"), env).database();

        assertEquals(Optional.of("jdbc:postgresql://db:5432/prefect"), db.url());
        assertEquals(Optional.of("prefect"), db.user());
        assertEquals(Optional.of(new Secret("s3cret")), db.password());
        assertEquals(4, db.poolSize());
    }

    @Test
    void theFilesValueWinsOverReferenceConfsVariable() throws Exception {
        Path file = write(dir, "runsweep.database.url = \"sqlite+aiosqlite:////data/prefect.db\"");

        DatabaseSettings db = load(file, Map.of("RUNSWEEP_DATABASE_URL", "jdbc:sqlite:/other.db"))
                .database();

        assertEquals(Optional.of("sqlite+aiosqlite:////data/prefect.db"), db.url());
    }

    @Test
    void userFileSubstitutionsReadTheGivenMapNotTheProcessEnvironment() throws Exception {
        Path file = write(
                dir,
                "runsweep.database.url = \"jdbc:sqlite:default.db\"",
                "runsweep.database.url = ${?PREFECT_API_DATABASE_CONNECTION_URL}",
                "runsweep.database.user = ${?PATH}");

        DatabaseSettings fromMap = load(
                        file, Map.of("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://u:p@db/prefect"))
                .database();
        DatabaseSettings empty = load(file).database();

        assertEquals(Optional.of("postgresql+asyncpg://u:p@db/prefect"), fromMap.url());
        assertEquals(Optional.of("jdbc:sqlite:default.db"), empty.url());
        assertEquals(Optional.empty(), empty.user()); // PATH is set in every real process, never in this map
    }

    @Test
    void aBadValueFromAVariableNamesTheVariable() {
        Path file = write(dir, "runsweep.database.pool-size = ${?POOL}");

        SettingsException e = assertThrows(SettingsException.class, () -> load(file, Map.of("POOL", "lots")));

        assertEquals(
                List.of("environment variable POOL: runsweep.database.pool-size: expected a whole number, got 'lots'"),
                e.problems());
    }

    @Test
    void aWholeNumberFromAVariableIsAccepted() throws Exception {
        Path file = write(dir, "runsweep.database.pool-size = ${?POOL}");

        assertEquals(8, load(file, Map.of("POOL", "8")).database().poolSize());
    }

    @Test
    void toStringMasksThePasswordInTheUrl() throws Exception {
        DatabaseSettings db = load(write(
                        dir,
                        "runsweep.database.url = \"postgresql+asyncpg://prefect:s3cret@db:5432/prefect\"",
                        "runsweep.database.password = hunter2"))
                .database();

        assertEquals(
                "DatabaseSettings[url=Optional[postgresql+asyncpg://prefect:****@db:5432/prefect],"
                        + " user=Optional.empty, password=Optional[****], poolSize=2, connectTimeout=PT10S,"
                        + " lockTimeout=PT2S, busyTimeout=PT5S, statementTimeout=PT5M, idleInTransactionTimeout=PT10S]",
                db.toString());
    }
}
