package io.runsweep.jobs.archive;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code runsweep archive list} shows of one policy's archive.
 *
 * @param tables its archive tables, when it keeps a schema
 * @param runs its runs' files, when it keeps a directory, oldest first
 * @param error why the policy's archive could not be read, when it could not
 */
public record ArchiveListing(
        String policy,
        Optional<String> schema,
        Optional<String> directory,
        List<TableCopies> tables,
        List<RunFiles> runs,
        Optional<String> error) {

    public ArchiveListing {
        tables = List.copyOf(tables);
        runs = List.copyOf(runs);
    }

    /** One archive table: the copies of one source table, and when the oldest and newest were archived. */
    public record TableCopies(
            String source, String archive, long rows, Optional<Instant> oldest, Optional<Instant> newest) {}

    /**
     * One run's files.
     *
     * @param complete the run wrote its manifest: it ended, and its files' checksums are known
     * @param rows rows in its files (from the manifest, or counted in an interrupted run's complete parts)
     * @param leftOver bytes at the ends of files that are no complete part: a batch a crash cut short
     * @param problems what a check of the files found wrong (with --verify): checksums, parts that do not read
     */
    public record RunFiles(
            String run,
            Instant started,
            boolean complete,
            int files,
            long rows,
            long bytes,
            long leftOver,
            List<String> problems) {
        public RunFiles {
            problems = List.copyOf(problems);
        }
    }
}
