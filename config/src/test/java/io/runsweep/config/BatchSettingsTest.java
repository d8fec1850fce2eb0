package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theBatchesCompressTheirWalByDefault() throws Exception {
        Settings settings = load(write(dir, "runsweep.preset = prefect"));

        assertEquals(
                new BatchSettings(Duration.ofMillis(200), Duration.ZERO, 100, 250_000, 5, Duration.ofMillis(200), true),
                settings.batch());
    }

    @Test
    void compressWalFalseIsReadAndRendersBackTheSame() throws Exception {
        Settings settings = load(write(dir, "runsweep.preset = prefect", "runsweep.batch.compress-wal = false"));
        assertEquals(false, settings.batch().compressWal());

        Path again = Files.writeString(dir.resolve("effective.conf"), SettingsLoader.renderEffective(settings));
        assertEquals(settings.batch(), load(again).batch());
    }

    @Test
    void aBadValueIsReportedWithFileAndLine() {
        Path file = write(dir, "runsweep.preset = prefect", "runsweep.batch {", "  compress-wal = lz4", "}");

        List<String> problems =
                assertThrows(SettingsException.class, () -> load(file)).problems();

        assertEquals(List.of(file + ": 3: runsweep.batch.compress-wal: expected true or false, got 'lz4'"), problems);
    }
}
