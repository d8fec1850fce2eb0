package io.runsweep.config;

import static io.runsweep.config.PolicyKeys.ARCHIVE_DIRECTORY;
import static io.runsweep.config.PolicyKeys.ARCHIVE_KEEP;
import static io.runsweep.config.PolicyKeys.ARCHIVE_SCHEMA;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads a policy's {@code archive}: each key it leaves out comes from {@code policy-defaults.archive}. */
final class ArchiveReader {
    private ArchiveReader() {}

    /**
     * @param defaults {@code policy-defaults.archive} as read; empty while reading the defaults themselves
     */
    static Optional<ArchiveSettings> read(Fields f, Optional<ArchiveSettings> defaults) {
        int before = f.problems().count();
        Optional<Optional<String>> schema = f.has(ARCHIVE_SCHEMA) || defaults.isEmpty()
                ? f.optionalString(ARCHIVE_SCHEMA).map(s -> schema(f, s)).or(() -> Optional.of(Optional.empty()))
                : defaults.map(ArchiveSettings::schema);
        Optional<Optional<Path>> directory = f.has(ARCHIVE_DIRECTORY) || defaults.isEmpty()
                ? Optional.of(f.optionalString(ARCHIVE_DIRECTORY).flatMap(d -> directory(f, d)))
                : defaults.map(ArchiveSettings::directory);
        Optional<Duration> keep = f.has(ARCHIVE_KEEP) || defaults.isEmpty()
                ? f.duration(ARCHIVE_KEEP, false)
                : defaults.map(ArchiveSettings::keep);
        if (f.problems().count() > before || schema.isEmpty() || directory.isEmpty() || keep.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ArchiveSettings(schema.get(), directory.get(), keep.get()));
    }

    /** A schema name; "public" and "main" would put the copies beside the tables they were deleted from. */
    private static Optional<String> schema(Fields f, String name) {
        Optional<String> valid = f.column(ARCHIVE_SCHEMA);
        if (valid.isPresent() && (name.equalsIgnoreCase("public") || name.equalsIgnoreCase("main"))) {
            f.reject(
                    f.required(ARCHIVE_SCHEMA).orElseThrow(),
                    f.pathOf(ARCHIVE_SCHEMA),
                    "'" + name + "' holds the tables rows are deleted from; name a schema of their own, e.g."
                            + " runsweep_archive");
            return Optional.empty();
        }
        return valid;
    }

    private static Optional<Path> directory(Fields f, String text) {
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            return f.reject(
                    f.required(ARCHIVE_DIRECTORY).orElseThrow(),
                    f.pathOf(ARCHIVE_DIRECTORY),
                    "not a path: " + e.getMessage());
        }
    }
}
