package io.runsweep.config;

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

class DaemonSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsServeEveryInterfaceOnPort9464() throws Exception {
        Settings settings = SettingsLoader.load(Optional.empty(), Map.of(), ConfigFiles.ANY_CRON);

        assertEquals(
                new DaemonSettings(
                        new DaemonSettings.Http(
                                true, "0.0.0.0", 9464, Duration.ofSeconds(10), Duration.ofSeconds(10), 128),
                        2,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(2),
                        DaemonSettings.LogFormat.TEXT),
                settings.daemon());
    }

    @Test
    void readsEveryKeyAndTheLogFormatFromTheEnvironment() throws Exception {
        Path file = write(
                dir,
                "runsweep.http { enabled = false, host = \"127.0.0.1\", port = 0, read-timeout = 2s, write-timeout = 3s,"
                        + " max-connections = 16 }",
                "runsweep.daemon { threads = 4, shutdown-timeout = 5s, health-interval = 1s, health-timeout = 500ms }");

        Settings settings = load(file, Map.of("RUNSWEEP_LOG_FORMAT", "json"));

        assertEquals(
                new DaemonSettings(
                        new DaemonSettings.Http(
                                false, "127.0.0.1", 0, Duration.ofSeconds(2), Duration.ofSeconds(3), 16),
                        4,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(500),
                        DaemonSettings.LogFormat.JSON),
                settings.daemon());
    }

    @Test
    void everyBadValueIsReportedWithItsLine() {
        Path file = write(
                dir,
                "runsweep {",
                "  http.port = 70000",
                "  http.host = \"\"",
                "  daemon.threads = 0",
                "  daemon.shutdown-timeout = 30",
                "  log.format = yaml",
                "  daemon.health-intervall = 1s",
                "}");

        SettingsException e = assertThrows(SettingsException.class, () -> load(file));

        assertEquals(
                List.of(
                        file + ": 2: runsweep.http.port: must be between 0 and 65535, got 70000",
                        file
                                + ": 3: runsweep.http.host: must not be empty: use \"0.0.0.0\" for every interface or \"127.0.0.1\""
                                + " for this host only",
                        file + ": 4: runsweep.daemon.threads: must be between 1 and 16, got 0",
                        file + ": 5: runsweep.daemon.shutdown-timeout: needs a unit, e.g. 30d, 12h, 10s; got 30",
                        file + ": 6: runsweep.log.format: expected one of text, json, got 'yaml'",
                        file + ": 7: unknown key 'runsweep.daemon.health-intervall' (did you mean 'health-interval'?)"),
                e.problems());
    }
}
