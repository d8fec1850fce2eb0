package io.runsweep.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Helpers for tests that write real HOCON files and load them. */
final class ConfigFiles {
    static final Function<String, Optional<String>> ANY_CRON = s -> Optional.empty();

    private ConfigFiles() {}

    /** Lines joined with '\n', so a test can count the line a mistake is on. */
    static Path write(Path dir, String... lines) {
        Path file = dir.resolve("runsweep.conf");
        try {
            Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Settings load(Path file) throws SettingsException {
        return SettingsLoader.load(Optional.of(file), Map.of(), ANY_CRON);
    }

    static Settings load(Path file, Map<String, String> env) throws SettingsException {
        return SettingsLoader.load(Optional.of(file), env, ANY_CRON);
    }
}
