package io.runsweep.jobs.maintenance;

import io.runsweep.config.MaintenanceSettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.Sql;
import io.runsweep.sql.TableName;
import io.runsweep.sql.TableStats;
import io.runsweep.sql.postgresql.PostgresVacuum;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per PostgreSQL table, between VACUUM (ANALYZE), VACUUM (FULL, ANALYZE), ANALYZE and nothing,
 * runs it on an auto-commit connection, and reads the table's size and dead rows before and after.
 */
final class PostgresMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMaintenance.class);

    private enum Kind {
        ANALYZE,
        VACUUM,
        VACUUM_FULL
    }

    private final MaintenanceSettings settings;
    private final Duration lockTimeout;
    private final Dialect dialect;
    private final StopSignal stop;
    private final PostgresVacuum vacuum = new PostgresVacuum();

    /** @param stop cancels the statement under way (which the server then ends) and keeps the next from starting */
    PostgresMaintenance(MaintenanceSettings settings, Duration lockTimeout, Dialect dialect, StopSignal stop) {
        this.settings = settings;
        this.lockTimeout = lockTimeout;
        this.dialect = dialect;
        this.stop = stop;
    }

    /**
     * After a purge: VACUUM (ANALYZE) of each table it deleted more than {@code vacuum-after-rows} from, or
     * left with more than {@code vacuum-dead-fraction} dead rows. Tables that need nothing are left out.
     *
     * <p>A VACUUM removes a row only once no snapshot may still see it. When one has been held since before the
     * purge's first batch committed, it sees every row the purge deleted, and a VACUUM would scan the purged pages
     * and remove none of them: ANALYZE alone runs, and a warning names the holder. A dry run names the oldest
     * holder there is now, which a real run begun now would find.
     *
     * @param connection the connection the purge used, if the pool hands it back: its deletes are counted
     *     in the statistics only once it flushes them
     * @param purgeStartXid the next transaction id as the purge began ({@link PostgresVacuum#nextXid}), if read
     */
    List<TableMaintenance> afterPurge(
            Connection connection, List<Touched> touched, OptionalLong purgeStartXid, boolean dryRun)
            throws SQLException {
        if (!dryRun) {
            vacuum.flushStatistics(connection);
        }
        List<Due> due = new ArrayList<>();
        for (Touched table : touched) {
            TableStats before = vacuum.stats(connection, table.table());
            deletedReason(table.deletedRows(), before)
                    .or(() -> deadReason(before))
                    .ifPresent(reason -> due.add(new Due(table.table(), before, reason)));
        }
        if (due.isEmpty()) {
            return List.of();
        }
        Optional<PostgresVacuum.SnapshotHolder> holder = holderOfThePurgedRows(connection, purgeStartXid, dryRun);
        List<TableMaintenance> done = new ArrayList<>();
        for (Due table : due) {
            if (holder.isEmpty()) {
                done.add(run(connection, table.name(), Kind.VACUUM, table.reason(), List.of(), table.before(), dryRun));
            } else if (dryRun) {
                String warning = "while " + holder.get().describe() + " holds the snapshot it holds now, a real run"
                        + " leaves this VACUUM for later and runs ANALYZE alone: no VACUUM can remove a row deleted"
                        + " after that snapshot was taken";
                done.add(run(
                        connection, table.name(), Kind.VACUUM, table.reason(), List.of(warning), table.before(), true));
            } else {
                String warning = "VACUUM of \"" + table.name() + "\" left for later: it removes a row only once no"
                        + " transaction may still see it, and " + holder.get().describe()
                        + " has held a snapshot since before the purge's first batch committed, so it would remove"
                        + " none of the rows the purge deleted. ANALYZE alone ran. Once it ends, the next VACUUM"
                        + " removes them";
                done.add(run(
                        connection,
                        table.name(),
                        Kind.ANALYZE,
                        table.reason(),
                        List.of(warning),
                        table.before(),
                        false));
            }
        }
        return done;
    }

    /** A table the purge touched enough to need a VACUUM, with why. */
    private record Due(TableName name, TableStats before, String reason) {}

    /**
     * The oldest snapshot that sees every row the purge deleted, if any. Every transaction id the purge used is
     * {@code purgeStartXid} or later, and a dead row stays while a snapshot whose xmin is its deleting
     * transaction's id or older remains: one whose xmin is {@code purgeStartXid} keeps all. A dry run deletes
     * nothing: any snapshot held now is held since before a purge begun now.
     */
    private Optional<PostgresVacuum.SnapshotHolder> holderOfThePurgedRows(
            Connection connection, OptionalLong purgeStartXid, boolean dryRun) throws SQLException {
        if (dryRun) {
            return vacuum.oldestSnapshot(connection).map(PostgresVacuum.OldestSnapshot::holder);
        }
        return purgeStartXid.isEmpty()
                ? Optional.empty()
                : vacuum.snapshotHeldSince(connection, purgeStartXid.getAsLong() + 1);
    }

    /**
     * The maintenance job: every managed table gets VACUUM (FULL, ANALYZE) when it is listed in
     * {@code vacuum-full-tables}, VACUUM (ANALYZE) when its dead rows pass {@code vacuum-dead-fraction},
     * ANALYZE otherwise.
     */
    List<TableMaintenance> scheduled(
            Connection connection, List<TableName> managed, Set<TableName> fullTables, boolean dryRun)
            throws SQLException {
        List<TableMaintenance> done = new ArrayList<>();
        for (TableName table : managed) {
            TableStats before = vacuum.stats(connection, table);
            Optional<String> dead = deadReason(before);
            if (fullTables.contains(table)) {
                done.add(run(
                        connection,
                        table,
                        Kind.VACUUM_FULL,
                        "listed in vacuum-full-tables",
                        List.of(),
                        before,
                        dryRun));
            } else if (dead.isPresent()) {
                done.add(run(connection, table, Kind.VACUUM, dead.get(), List.of(), before, dryRun));
            } else {
                done.add(run(
                        connection,
                        table,
                        Kind.ANALYZE,
                        "scheduled ANALYZE: fresh statistics for the planner",
                        List.of(),
                        before,
                        dryRun));
            }
        }
        return done;
    }

    private Optional<String> deletedReason(OptionalLong deleted, TableStats before) {
        long limit = settings.vacuumAfterRows();
        if (deleted.isPresent()) {
            return deleted.getAsLong() > limit
                    ? Optional.of("deleted " + Formats.count(deleted.getAsLong(), "row")
                            + ", more than vacuum-after-rows (" + Formats.count(limit) + ")")
                    : Optional.empty();
        }
        return before.deadRows() > limit
                ? Optional.of(Formats.count(before.deadRows(), "dead row") + " after the purge's cascade, more than"
                        + " vacuum-after-rows (" + Formats.count(limit) + ")")
                : Optional.empty();
    }

    private Optional<String> deadReason(TableStats before) {
        return before.deadFraction() > settings.vacuumDeadFraction()
                ? Optional.of(String.format(
                        Locale.ROOT,
                        "dead rows are %.0f%% of the table, more than" + " vacuum-dead-fraction (%s)",
                        before.deadFraction() * 100,
                        settings.vacuumDeadFraction()))
                : Optional.empty();
    }

    /** @param known warnings the caller already has, shown first and logged as the statement runs */
    private TableMaintenance run(
            Connection connection,
            TableName table,
            Kind kind,
            String reason,
            List<String> known,
            TableStats before,
            boolean dryRun)
            throws SQLException {
        Sql sql = switch (kind) {
            case ANALYZE -> vacuum.analyze(table);
            case VACUUM -> vacuum.vacuum(table);
            case VACUUM_FULL -> vacuum.vacuumFull(table);
        };
        Optional<PostgresVacuum.Denied> denied = vacuum.maintenanceDenied(connection, table);
        if (denied.isPresent()) {
            String message = skipped(table, kind, denied.get());
            if (!dryRun) {
                LOG.warn("maintenance - {}", message);
            }
            return notRun(table, sql, reason, Step.Outcome.SKIPPED, Optional.of(message), List.of(), before);
        }
        List<String> warnings = new ArrayList<>(known);
        if (kind == Kind.VACUUM_FULL) {
            Optional<String> refusal = vacuumFullRefusal(connection, table, before, warnings);
            if (refusal.isPresent()) {
                LOG.error("maintenance - {}", refusal.get());
                return notRun(table, sql, reason, Step.Outcome.REFUSED, refusal, warnings, before);
            }
        }
        if (dryRun) {
            return notRun(table, sql, reason, Step.Outcome.PLANNED, Optional.empty(), warnings, before);
        }
        if (stop.raised()) {
            String message = Step.stoppedBefore(stop.reason());
            LOG.warn("maintenance - {}: {}", sql.text(), message);
            return notRun(table, sql, reason, Step.Outcome.SKIPPED, Optional.of(message), warnings, before);
        }
        warnings.forEach(w -> LOG.warn("maintenance - {}", w));
        long nextXid = kind == Kind.ANALYZE ? 0 : vacuum.nextXid(connection);
        long started = System.nanoTime();
        try {
            Optional<List<String>> said =
                    stop.unlessStopped(dialect, connection, () -> vacuum.run(connection, sql, lockTimeout));
            if (said.isEmpty()) {
                String message = Step.cancelledBy(stop.reason());
                LOG.warn("maintenance - {}: {}", sql.text(), message);
                return notRun(table, sql, reason, Step.Outcome.SKIPPED, Optional.of(message), warnings, before);
            }
            warnings.addAll(said.get());
        } catch (SQLException e) {
            if (PostgresVacuum.LOCK_TIMEOUT.equals(e.getSQLState())) {
                String message = lockedOut(connection, table, kind);
                LOG.warn("maintenance - {}: {}", sql.text(), message);
                return notRun(table, sql, reason, Step.Outcome.SKIPPED, Optional.of(message), warnings, before);
            }
            String message = sql.text() + " failed: " + Errors.describe(e);
            LOG.error("maintenance - {}", message);
            return notRun(table, sql, reason, Step.Outcome.FAILED, Optional.of(message), warnings, before);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        TableStats after = vacuum.stats(connection, table);
        if (kind != Kind.ANALYZE && after.deadRows() > 0) {
            heldBack(connection, after.deadRows(), nextXid).ifPresent(w -> {
                LOG.warn("maintenance - {}: {}", sql.text(), w);
                warnings.add(w);
            });
        }
        LOG.info(
                "maintenance - {}: {} -> {}, dead rows {} -> {} ({})",
                sql.text(),
                Formats.bytes(before.totalBytes()),
                Formats.bytes(after.totalBytes()),
                Formats.count(before.deadRows()),
                Formats.count(after.deadRows()),
                Formats.seconds(took));
        return new TableMaintenance(
                table.toString(),
                new Step(sql.text(), reason, Step.Outcome.DONE, took, Optional.empty(), warnings),
                before,
                Optional.of(after));
    }

    /**
     * Another session held the table longer than the lock timeout: most often an autovacuum that prevents
     * wraparound, which, unlike others, is not cancelled for a VACUUM that waits. The purge is done; the
     * statement is skipped, naming the holders, and the next run tries again.
     */
    private String lockedOut(Connection connection, TableName table, Kind kind) {
        String holders;
        try {
            List<String> found = vacuum.lockHolders(connection, table, kind == Kind.VACUUM_FULL);
            holders = found.isEmpty() ? "a session that has released it since" : String.join("; ", found);
        } catch (SQLException e) {
            holders = "a session Runsweep could not name (" + Errors.describe(e) + ")";
        }
        return "skipped: it waited database.lock-timeout (" + lockTimeout.toMillis() + " ms) for its lock on \"" + table
                + "\", held by " + holders + "; the next run tries again";
    }

    /**
     * VACUUM counts the dead rows it could not remove, those a snapshot may still see; when one was held since
     * before it began, says whose, so that the operator can end it rather than vacuum again in vain.
     */
    private Optional<String> heldBack(Connection connection, long deadRows, long nextXid) throws SQLException {
        return vacuum.snapshotHeldSince(connection, nextXid)
                .map(holder -> Formats.count(deadRows) + " dead rows were left: VACUUM removes a row only once no"
                        + " transaction may still see it, and " + holder.describe() + " has held a snapshot since"
                        + " before this VACUUM began. Once it ends, the next VACUUM removes them");
    }

    /**
     * The server would run the statement, skip the table with a WARNING and report success; Runsweep says so
     * instead, with the grant that lets it.
     */
    private static String skipped(TableName table, Kind kind, PostgresVacuum.Denied denied) {
        String what = switch (kind) {
            case ANALYZE -> "ANALYZE";
            case VACUUM -> "VACUUM";
            case VACUUM_FULL -> "VACUUM FULL";
        };
        return "skipped: role " + denied.role() + " may not " + what + " \"" + table + "\"; only " + denied.whoMay()
                + " may. "
                + (denied.autovacuum()
                        ? "Autovacuum still cleans and analyzes it."
                        : "Autovacuum is off for it, so nothing else will.")
                + " " + denied.advice(table);
    }

    private static TableMaintenance notRun(
            TableName table,
            Sql sql,
            String reason,
            Step.Outcome outcome,
            Optional<String> message,
            List<String> warnings,
            TableStats before) {
        return new TableMaintenance(
                table.toString(),
                new Step(sql.text(), reason, outcome, Duration.ZERO, message, warnings),
                before,
                Optional.empty());
    }

    /**
     * VACUUM FULL writes a whole new copy of the table and its indexes before it drops the old one. It runs
     * only when the free disk where the table lives is known to hold that copy, or when the user said to
     * run it unchecked.
     */
    private Optional<String> vacuumFullRefusal(
            Connection connection, TableName table, TableStats before, List<String> warnings) {
        String what = "VACUUM FULL of \"" + table + "\"";
        warnings.add(what + " holds an ACCESS EXCLUSIVE lock until it ends: the scheduler can neither read nor"
                + " write \"" + table + "\" meanwhile. It needs about " + Formats.bytesExact(before.totalBytes())
                + " of free disk (the table with its indexes).");
        FreeDisk.Room room;
        try {
            room = FreeDisk.ofServer(vacuum.serverFiles(connection, table));
        } catch (SQLException e) {
            room = FreeDisk.Room.unknown(null, "the server would not tell where its files are: " + Errors.describe(e));
        }
        if (room.usableBytes().isPresent()) {
            warnings.add("free disk checked: "
                    + Formats.bytesExact(room.usableBytes().get()) + " free at " + room.where());
            return FreeDisk.shortfall(what, before.totalBytes(), room);
        }
        if (settings.vacuumFullUncheckedDisk()) {
            warnings.add("free disk NOT checked (" + room.unknownBecause() + "); running anyway, as"
                    + " runsweep.maintenance.vacuum-full-unchecked-disk = true");
            return Optional.empty();
        }
        return Optional.of(
                what + " refused: it needs about " + Formats.bytesExact(before.totalBytes()) + " of free disk,"
                        + " and Runsweep cannot check that: " + room.unknownBecause()
                        + ". Once you know the space is there, set"
                        + " runsweep.maintenance.vacuum-full-unchecked-disk = true to run it without the check");
    }
}
