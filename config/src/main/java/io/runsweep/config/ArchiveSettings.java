package io.runsweep.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a policy keeps a copy of every row it deletes ({@code archive} of a policy). See docs/archive.md.
 *
 * @param schema PostgreSQL: the schema whose tables of the same names take the rows, in the transaction that
 *     deletes them; SQLite: the prefix of tables {@code <schema>__<table>} in the same file
 * @param directory gzip-compressed JSON Lines under {@code <directory>/<policy>/<table>/}, written and flushed
 *     to disk before each batch commits
 * @param keep archived rows older than this are removed; zero = kept for ever
 */
public record ArchiveSettings(Optional<String> schema, Optional<Path> directory, Duration keep) {

    public static final ArchiveSettings NONE = new ArchiveSettings(Optional.empty(), Optional.empty(), Duration.ZERO);

    public boolean enabled() {
        return schema.isPresent() || directory.isPresent();
    }
}
