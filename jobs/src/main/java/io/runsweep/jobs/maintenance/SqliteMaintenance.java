package io.runsweep.jobs.maintenance;

import io.runsweep.config.MaintenanceSettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.sqlite.SqlitePragmas;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SQLite file's maintenance, in an order that lets the file shrink: refresh the planner's statistics,
 * give free pages back (incrementally, or by a full VACUUM when asked), and last a TRUNCATE checkpoint,
 * since in WAL mode the file only shrinks when the WAL is copied back into it.
 */
final class SqliteMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteMaintenance.class);
    private static final int SQLITE_BUSY = 5;

    /** One statement to run, and what running it does. */
    @FunctionalInterface
    private interface Action {
        Optional<String> run(Connection connection) throws SQLException;
    }

    private final MaintenanceSettings settings;
    private final Dialect dialect;
    private final StopSignal stop;
    private final SqlitePragmas pragmas = new SqlitePragmas();

    /** @param stop interrupts the statement under way (SQLite then rolls it back) and keeps the next from starting */
    SqliteMaintenance(MaintenanceSettings settings, Dialect dialect, StopSignal stop) {
        this.settings = settings;
        this.dialect = dialect;
        this.stop = stop;
    }

    /** @param notes receives what the operator may want to act on, though nothing failed */
    FileMaintenance run(Connection connection, Path file, boolean dryRun, List<String> notes) throws SQLException {
        FileStats before = pragmas.stats(connection, file);
        List<Step> steps = new ArrayList<>();
        steps.add(step(
                connection,
                SqlitePragmas.OPTIMIZE,
                "refresh the query planner's statistics where they are stale",
                dryRun,
                c -> {
                    pragmas.optimize(c);
                    return Optional.empty();
                }));
        if (before.autoVacuum() == FileStats.AUTO_VACUUM_INCREMENTAL) {
            steps.add(step(
                    connection,
                    SqlitePragmas.INCREMENTAL_VACUUM,
                    "auto_vacuum is INCREMENTAL: cut the " + Formats.count(before.freePages())
                            + " free pages off the file",
                    dryRun,
                    c -> Optional.of(Formats.count(pragmas.incrementalVacuum(c)) + " pages freed")));
        }
        if (settings.sqliteFullVacuum() && before.freePages() > 0) {
            steps.add(fullVacuum(connection, file, before, dryRun));
        } else if (settings.sqliteFullVacuum()) {
            notes.add("no VACUUM: " + file.getFileName() + " has no free pages to give back");
        } else if (before.autoVacuum() != FileStats.AUTO_VACUUM_INCREMENTAL && before.freePages() > 0) {
            notes.add(Formats.count(before.freePages()) + " free pages (" + Formats.bytes(before.freeBytes())
                    + ") stay inside " + file.getFileName()
                    + ": new rows reuse them, but the file only shrinks by a full"
                    + " VACUUM (runsweep.maintenance.sqlite.full-vacuum = true)");
        }
        steps.add(step(
                connection,
                SqlitePragmas.CHECKPOINT,
                "copy the write-ahead log into the file and empty it",
                dryRun,
                this::checkpoint));
        Optional<FileStats> after = dryRun ? Optional.empty() : Optional.of(pragmas.stats(connection, file));
        after.ifPresent(a -> LOG.info(
                "maintenance - {}: {} -> {}, free pages {} -> {}",
                file.getFileName(),
                Formats.bytes(before.fileBytes()),
                Formats.bytes(a.fileBytes()),
                Formats.count(before.freePages()),
                Formats.count(a.freePages())));
        return new FileMaintenance(file.toString(), steps, before, after);
    }

    /** VACUUM writes a new copy of the database before it replaces the old: it needs the file's size free. */
    private Step fullVacuum(Connection connection, Path file, FileStats before, boolean dryRun) throws SQLException {
        String reason = "runsweep.maintenance.sqlite.full-vacuum = true: rewrite the file without its "
                + Formats.count(before.freePages()) + " free pages";
        Path folder = file.toAbsolutePath().getParent();
        FreeDisk.Room room = FreeDisk.at(folder);
        Optional<String> refusal = room.usableBytes().isPresent()
                ? FreeDisk.shortfall("VACUUM of " + file.getFileName(), before.fileBytes(), room)
                : Optional.of("VACUUM of " + file.getFileName() + " refused: " + room.unknownBecause());
        if (refusal.isPresent()) {
            LOG.error("maintenance - {}", refusal.get());
            return new Step(SqlitePragmas.VACUUM, reason, Step.Outcome.REFUSED, Duration.ZERO, refusal, List.of());
        }
        return step(connection, SqlitePragmas.VACUUM, reason, dryRun, c -> {
            pragmas.vacuum(c);
            return Optional.empty();
        });
    }

    private Optional<String> checkpoint(Connection connection) throws SQLException {
        SqlitePragmas.Checkpoint checkpoint = pragmas.checkpoint(connection);
        if (!checkpoint.walMode()) {
            return Optional.of("the database is not in WAL mode: nothing to copy");
        }
        return checkpoint.blocked()
                ? Optional.of("another connection kept it from finishing (" + checkpoint.checkpointedFrames() + " of "
                        + checkpoint.walFrames() + " frames copied); the next checkpoint completes it")
                : Optional.empty();
    }

    /**
     * Runs one statement under the connection's busy timeout: when the server holds the write lock for
     * longer, the statement gives up, and the server goes on.
     */
    private Step step(Connection connection, String sql, String reason, boolean dryRun, Action action) {
        if (dryRun) {
            return new Step(sql, reason, Step.Outcome.PLANNED, Duration.ZERO, Optional.empty(), List.of());
        }
        if (stop.raised()) {
            String message = Step.stoppedBefore(stop.reason());
            LOG.warn("maintenance - {}: {}", sql, message);
            return new Step(sql, reason, Step.Outcome.SKIPPED, Duration.ZERO, Optional.of(message), List.of());
        }
        long started = System.nanoTime();
        try {
            Optional<Optional<String>> said = stop.unlessStopped(dialect, connection, () -> action.run(connection));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (said.isEmpty()) {
                String message = Step.cancelledBy(stop.reason());
                LOG.warn("maintenance - {}: {}", sql, message);
                return new Step(sql, reason, Step.Outcome.SKIPPED, took, Optional.of(message), List.of());
            }
            return new Step(sql, reason, Step.Outcome.DONE, took, said.get(), List.of());
        } catch (SQLException e) {
            String message = sql + " failed: " + Errors.describe(e)
                    + (e.getErrorCode() == SQLITE_BUSY
                            ? " (the server held the database for longer than database.busy-timeout; the next run tries again)"
                            : "");
            LOG.error("maintenance - {}", message);
            return new Step(
                    sql,
                    reason,
                    Step.Outcome.FAILED,
                    Duration.ofNanos(System.nanoTime() - started),
                    Optional.of(message),
                    List.of());
        }
    }
}
