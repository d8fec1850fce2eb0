package io.runsweep.jobs;

import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.purge.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings from a real HOCON file, as a user writes it. */
public final class TestSettings {
    private TestSettings() {}

    /** How the tests' sweeps treat the server: reference.conf's batch settings and a 2 s lock timeout. */
    public static RunOptions runOptions() {
        return new RunOptions(Duration.ofSeconds(2), SettingsLoader.defaults().batch(), false);
    }

    public static Settings load(Path dir, String... lines) throws Exception {
        Path file = Files.writeString(dir.resolve("runsweep.conf"), String.join("\n", lines) + "\n");
        return SettingsLoader.load(Optional.of(file), Map.of(), cron -> Optional.empty());
    }
}
