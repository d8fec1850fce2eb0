package io.runsweep.jobs.archive;

import io.runsweep.jobs.purge.ArchivePlan;
import io.runsweep.jobs.purge.ArchiveSummary;
import io.runsweep.jobs.purge.BatchArchive;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's archive. Each batch, in its transaction: locks and reads every column of its rows of the policy's
 * table, then of each table a cascade would empty, level by level; deletes the dependents returning their rows;
 * deletes the cascaded rows itself, deepest level first, and the policy's rows by key, checking that each delete
 * took exactly the rows it read; then hands every row to the archive's sinks. The locks keep what was read and
 * what is deleted the same rows: nobody can change a locked row or add a row that refers to one.
 */
final class ArchiveRun implements BatchArchive {
    private final PurgePlan plan;
    private final ArchivePlan archive;
    private final ArchiveSql sql;
    private final List<CopySink> sinks;
    private final PurgeProgress progress;
    private final Clock clock;
    private final Map<String, Long> archived = new LinkedHashMap<>();
    private final Map<String, Long> batchRows = new LinkedHashMap<>();
    private long bytes;

    ArchiveRun(PurgePlan plan, ArchiveSql sql, List<CopySink> sinks, PurgeProgress progress, Clock clock) {
        this.plan = plan;
        this.archive = plan.archive().orElseThrow();
        this.sql = sql;
        this.sinks = List.copyOf(sinks);
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public Map<String, Long> deleteBatch(Connection connection, BatchValues values, boolean inRanges)
            throws SQLException {
        batchRows.clear();
        Map<String, Long> deleted = new LinkedHashMap<>();
        Captured parents = Captured.run(
                connection, sql, inRanges ? archive.lockBatch() : archive.lockIndexed(), values, plan.table());
        deleted.put(plan.table().name().toString(), (long) parents.size());
        if (parents.size() == 0) {
            return deleted;
        }
        List<Object> keys = parents.values(archive.key());
        Map<TableName, Captured> read = new LinkedHashMap<>();
        read.put(plan.table().name(), parents);
        for (ArchivePlan.Level level : archive.cascades()) {
            List<Object> refs = read.get(level.parent()).values(level.parentColumn());
            read.put(
                    level.table().name(),
                    refs.isEmpty()
                            ? Captured.none(level.table())
                            : Captured.run(connection, sql, level.lock(), keys(refs), level.table()));
        }
        List<Captured> dependents = new ArrayList<>();
        for (ArchivePlan.Dependent d : archive.dependents()) {
            dependents.add(Captured.run(connection, sql, d.deleteReturning(), keys(keys), d.table()));
        }
        for (int i = archive.cascades().size() - 1; i >= 0; i--) {
            ArchivePlan.Level level = archive.cascades().get(i);
            List<Object> refs = read.get(level.parent()).values(level.parentColumn());
            if (!refs.isEmpty()) {
                check(
                        level.table().name(),
                        read.get(level.table().name()).size(),
                        delete(connection, level.delete(), refs));
            }
        }
        check(plan.table().name(), parents.size(), delete(connection, archive.deleteByKey(), keys));
        Instant at = clock.instant();
        List<Captured> all = new ArrayList<>(read.values());
        all.addAll(dependents);
        for (Captured rows : all) {
            for (CopySink sink : sinks) {
                sink.add(connection, rows, at);
            }
            batchRows.merge(rows.table().name().toString(), (long) rows.size(), Long::sum);
            deleted.merge(rows.table().name().toString(), (long) rows.size(), (a, b) -> a);
        }
        return deleted;
    }

    private static BatchValues keys(List<Object> keys) {
        return new BatchValues(0, keys);
    }

    private static long delete(Connection connection, Sql statement, List<Object> keys) throws SQLException {
        try (PreparedStatement s = statement.prepare(connection, keys(keys))) {
            return s.executeUpdate();
        }
    }

    /** A delete that took other rows than the batch read would leave rows deleted and not archived. */
    private static void check(TableName table, long read, long deleted) throws SQLException {
        if (read != deleted) {
            throw new SQLException("archive: the batch read " + read + " rows of \"" + table + "\" to copy, but its"
                    + " delete took " + deleted + "; the batch was rolled back and nothing of it was deleted");
        }
    }

    @Override
    public void seal() throws SQLException {
        for (CopySink sink : sinks) {
            sink.seal();
        }
    }

    @Override
    public void ended(Outcome outcome) {
        for (CopySink sink : sinks) {
            long written = sink.ended(outcome);
            if (outcome != Outcome.ROLLED_BACK && !batchRows.isEmpty()) {
                progress.batchArchived(
                        new PurgeProgress.ArchiveEvent(archive.policy(), sink.form(), batchRows, written));
                bytes += written;
            }
        }
        if (outcome != Outcome.ROLLED_BACK) {
            batchRows.forEach((table, n) -> archived.merge(table, n, Long::sum));
        }
        batchRows.clear();
    }

    @Override
    public ArchiveSummary summary() {
        return new ArchiveSummary(archive.destinations(), archived, bytes);
    }

    @Override
    public void close() {
        sinks.forEach(CopySink::close);
    }
}
