package io.runsweep.jobs.archive;

import io.runsweep.jobs.purge.ArchivePlan;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.TableName;
import io.runsweep.sql.Transactions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code archive.keep}: removes a policy's copies archived before {@code now - keep}. From archive tables in short
 * batches, as a purge deletes; from a directory, whole runs whose last file was written before then.
 */
public final class ArchiveKeep {
    private static final int BATCH = 10_000;

    private final ArchiveSql sql;

    public ArchiveKeep(ArchiveSql sql) {
        this.sql = sql;
    }

    /**
     * @param dryRun count what would go, remove nothing
     * @return what was (or would be) removed, as a person reads it; empty when nothing
     */
    public List<String> apply(Connection connection, ArchivePlan archive, Instant now, boolean dryRun)
            throws SQLException, IOException {
        List<String> removed = new ArrayList<>();
        if (archive.keep().isZero()) {
            return removed;
        }
        Instant before = now.minus(archive.keep());
        long rows = 0;
        for (TableName table :
                archive.archiveTables().values().stream().distinct().toList()) {
            if (sql.existing(connection, table).isPresent()) {
                rows += dryRun
                        ? count(connection, table, archive.policy(), before)
                        : delete(connection, table, archive.policy(), before);
            }
        }
        if (rows > 0) {
            removed.add((dryRun ? "would remove " : "removed ") + rows + " archived rows older than archive.keep ("
                    + before + ") from the archive tables");
        }
        if (archive.directory().isPresent()) {
            int runs = 0;
            for (ArchiveDirectory.Run run :
                    new ArchiveDirectory(archive.directory().get()).runs()) {
                if (lastWritten(run).isBefore(before)) {
                    runs++;
                    if (!dryRun) {
                        remove(run);
                    }
                }
            }
            if (runs > 0) {
                removed.add((dryRun ? "would remove " : "removed ") + runs + " archived runs older than archive.keep ("
                        + before + ") from " + archive.directory().get());
            }
        }
        return removed;
    }

    private long count(Connection connection, TableName table, String policy, Instant before) throws SQLException {
        try (PreparedStatement s =
                        sql.countArchivedBefore(table, policy, before).prepare(connection, BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long delete(Connection connection, TableName table, String policy, Instant before) throws SQLException {
        Sql delete = sql.deleteArchivedBefore(table, policy, before);
        long total = 0;
        for (int n = BATCH; n == BATCH; ) {
            n = Transactions.commit(connection, () -> {
                try (PreparedStatement s = delete.prepare(connection, new BatchValues(BATCH, List.of()))) {
                    return s.executeUpdate();
                }
            });
            total += n;
        }
        return total;
    }

    /** When the run's last file was last written: its rows were all archived before then. */
    private static Instant lastWritten(ArchiveDirectory.Run run) throws IOException {
        Instant last = run.started();
        for (List<Path> files : run.files().values()) {
            for (Path file : files) {
                FileTime modified = Files.getLastModifiedTime(file);
                last = modified.toInstant().isAfter(last) ? modified.toInstant() : last;
            }
        }
        return last;
    }

    private static void remove(ArchiveDirectory.Run run) throws IOException {
        // The manifest first: a run half removed then reads as interrupted, never as whole.
        if (run.manifest().isPresent()) {
            Files.deleteIfExists(run.manifest().get());
        }
        for (List<Path> files : run.files().values()) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}
