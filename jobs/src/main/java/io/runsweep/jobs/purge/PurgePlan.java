package io.runsweep.jobs.purge;

import io.runsweep.config.PolicySettings;
import io.runsweep.sql.Column;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.KeysetBatch;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.RowCount;
import io.runsweep.sql.ScanRange;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything one policy will do, decided before anything runs: the cutoff, the predicate, how batches
 * find their rows, and every statement. A real run executes these statements and no others; a dry run
 * counts and explains them.
 *
 * @param key the column dependents reference; present when there are dependents or cascades to count
 * @param deleteBatch deletes one batch from the policy's table (returning {@code key} when there are dependents),
 *     as the chosen strategy finds its rows
 * @param indexedDelete the same batch found through an index: what index coverage is judged by, whichever
 *     strategy this run chose
 * @param keyset index batches that take rows in order of the time column, each from where the last ended,
 *     when this database and the table's indexes serve them (see {@link KeysetBatch}); else index batches run
 *     {@code indexedDelete}
 * @param count counts the rows the policy matches now
 * @param range the table's rows and physical extent when planned
 * @param matching how many rows match, as the database estimates it (counted on SQLite, and on PostgreSQL when it
 *     estimates few)
 * @param blockers foreign keys that would make deleting a still-referenced row fail
 * @param conflicts cascades into tables other policies manage, which may take rows those policies keep
 * @param archive how batches copy what they delete, when the policy keeps an archive
 */
public record PurgePlan(
        PolicySettings policy,
        Instant cutoff,
        Table table,
        Predicate where,
        Optional<Column> key,
        Strategy strategy,
        String strategyReason,
        Sql deleteBatch,
        Sql indexedDelete,
        Optional<KeysetBatch> keyset,
        Sql count,
        ScanRange range,
        RowCount matching,
        List<Dependent> dependents,
        List<Cascade> cascades,
        List<ForeignKey> blockers,
        List<Conflict> conflicts,

        Optional<ArchivePlan> archive) {

    public PurgePlan {
        dependents = List.copyOf(dependents);
        cascades = List.copyOf(cascades);
        blockers = List.copyOf(blockers);
        conflicts = List.copyOf(conflicts);
    }

    /** A plan that keeps no archive. */
    public PurgePlan(
            PolicySettings policy,
            Instant cutoff,
            Table table,
            Predicate where,
            Optional<Column> key,
            Strategy strategy,
            String strategyReason,
            Sql deleteBatch,
            Sql indexedDelete,
            Optional<KeysetBatch> keyset,
            Sql count,
            ScanRange range,
            RowCount matching,
            List<Dependent> dependents,
            List<Cascade> cascades,
            List<ForeignKey> blockers,
            List<Conflict> conflicts) {
        this(
                policy,
                cutoff,
                table,
                where,
                key,
                strategy,
                strategyReason,
                deleteBatch,
                indexedDelete,
                keyset,
                count,
                range,
                matching,
                dependents,
                cascades,
                blockers,
                conflicts,
                Optional.empty());
    }

    /** The same plan, whose batches copy what they delete as {@code plan} says. */
    public PurgePlan withArchive(ArchivePlan plan) {
        return new PurgePlan(
                policy,
                cutoff,
                table,
                where,
                key,
                strategy,
                strategyReason,
                deleteBatch,
                indexedDelete,
                keyset,
                count,
                range,
                matching,
                dependents,
                cascades,
                blockers,
                conflicts,
                Optional.of(plan));
    }

    public String name() {
        return policy.name();
    }

    /** The time the plan's cutoff was taken from: the start of the sweep it belongs to. */
    public Instant plannedAt() {
        return cutoff.plus(policy.olderThan());
    }

    /**
     * The keys of a first batch of matching rows, so that a dry run and the review explain the dependents'
     * deletes with real values; empty when there are no dependents.
     */
    public List<Object> sampleKeys(Connection connection, Dialect dialect) throws SQLException {
        List<Object> keys = new ArrayList<>();
        if (dependents.isEmpty()) {
            return keys;
        }
        Sql sample = dialect.sampleKeys(table, key.orElseThrow(), where);
        try (PreparedStatement s = sample.prepare(connection, new SqlParam.BatchValues(policy.batchSize(), List.of()));
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getObject(1));
            }
        }
        return keys;
    }

    /**
     * Whether the run counts the matching rows before its first batch, and its batches (ranges, or the times in
     * order) take only the rows counted, so that when they took as many, none escaped them and the count after them
     * is not needed ({@link io.runsweep.sql.RowsAtStart}). An archive's batches find their rows with statements of
     * their own.
     */
    public boolean countsAtStart() {
        return archive.isEmpty() && (rangesTakeCountedRows() || timeOrderTakesCountedRows());
    }

    /** Whether {@link #deleteBatch} takes only the rows counted before the first batch, and needs that count's xid. */
    public boolean rangesTakeCountedRows() {
        return strategy == Strategy.RANGE && takesCountedRows(deleteBatch);
    }

    /** Whether the batches in time order take only the rows counted before the first, and need that count's xid. */
    public boolean timeOrderTakesCountedRows() {
        return keyset.isPresent() && takesCountedRows(keyset.get().delete());
    }

    /**
     * Whether the count before the first batch runs beside the batches only on a connection the pool holds made and
     * idle: batches in time order count just the index entries of the rows to go, and a new session costs more.
     */
    public boolean countsBesideOnlyOnIdleConnection() {
        return strategy != Strategy.RANGE;
    }

    private static boolean takesCountedRows(Sql delete) {
        return delete.params().stream().anyMatch(SqlParam.StartXid.class::isInstance);
    }

    /** The share of the table the policy matches, 0 for an empty table. */
    public double fraction() {
        return range.rows() == 0 ? 0 : Math.min(1.0, (double) matching.rows() / range.rows());
    }

    /**
     * How batches find their rows. {@code INDEX}: up to n matching rows at a time, found through the
     * planner's choice of index. {@code RANGE}: every matching row within the next range of the table's
     * physical order (heap blocks by ctid on PostgreSQL, rowids on SQLite), so no batch re-reads what an
     * earlier one already swept.
     */
    public enum Strategy {
        INDEX("index"),
        RANGE("block-range");

        private final String configName;

        Strategy(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /**
     * A table without a foreign key whose rows go in the same batch as the parents they reference.
     *
     * @param leavesEnd proves cheaply, where the dialect can, that the run leaves the table a row
     */
    public record Dependent(Table table, Column column, Sql delete, Sql count, Optional<Sql> leavesEnd) {}

    /**
     * A table the database itself empties through a foreign key when the policy's rows go.
     *
     * @param first the key of the policy's own table that the cascade starts from: waiting for its rows
     *     ({@code unreferenced-by}) stops this cascade
     * @param leavesEnd proves cheaply, where the dialect can, that the run leaves the table a row
     */
    public record Cascade(
            TableName table, ForeignKey foreignKey, Sql count, ForeignKey first, Optional<Sql> leavesEnd) {}

    /**
     * A cascade into a table that other policies manage: the rows it would take that none of those policies
     * would delete now (younger than their {@code older-than}, or outside their statuses) are rows they keep.
     *
     * @param keepers the policies that manage the cascade's table and could keep the rows it reaches
     * @param kept counts the rows the cascade would take that the keepers keep
     */
    public record Conflict(Cascade cascade, List<PolicySettings> keepers, Sql kept) {
        public Conflict {
            keepers = List.copyOf(keepers);
        }
    }
}
