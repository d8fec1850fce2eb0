package io.runsweep.jobs.purge;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.sql.Column;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.ScanRange;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns a policy into a {@link PurgePlan} by checking every name it uses against the live catalog. */
public final class PurgePlanner {
    private static final int MAX_CASCADE_DEPTH = 6;

    private final Dialect dialect;

    public PurgePlanner(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Plans {@code policy} with its cutoff at {@code now - older-than}, computed once for the whole run. */
    public PurgePlan plan(Connection connection, PolicySettings policy, Instant now) throws SQLException {
        Table table = table(connection, policy, policy.table());
        Instant cutoff = now.minus(policy.olderThan());
        Column time = column(policy, table, policy.timeColumn());
        List<ForeignKey> referencing = dialect.referencing(connection, table);
        boolean needsKey = !policy.dependents().isEmpty()
                || !policy.unreferencedBy().isEmpty()
                || referencing.stream().anyMatch(fk -> fk.onDelete() == ForeignKey.OnDelete.CASCADE);
        Optional<Column> key = needsKey ? Optional.of(key(policy, table)) : Optional.empty();
        Predicate where = predicate(connection, policy, table, time, cutoff, key.orElse(null));
        List<PurgePlan.Dependent> dependents = new ArrayList<>();
        for (TableColumn dependent : policy.dependents()) {
            dependents.add(dependent(connection, policy, table, key.orElseThrow(), where, dependent));
        }
        Optional<Column> returning = dependents.isEmpty() ? Optional.empty() : key;
        Sql deleteBatch = dialect.deleteBatch(table, where, returning);
        ScanRange range = dialect.scanRange(connection, table);
        long matching = dialect.estimateMatching(connection, table, where);
        Optional<Sql> deleteRange = dialect.deleteRange(connection, table, where, returning);
        StrategyChoice choice = StrategyChoice.choose(
                policy.strategy(),
                range,
                matching,
                deleteRange.isPresent(),
                dialect.rangeSweepPaysForLargeShares(),
                noIndexServes(connection, table, deleteBatch, range, policy));
        List<PurgePlan.Cascade> cascades = new ArrayList<>();
        Set<String> visited = new HashSet<>(Set.of(table.name().toString()));
        for (ForeignKey fk : referencing) {
            Sql parentKeys = dialect.selectKeys(table, parentColumn(policy, table, fk), where);
            cascades(connection, fk, parentKeys, visited, cascades, 1);
        }
        List<ForeignKey> blockers = referencing.stream()
                .filter(fk ->
                        fk.onDelete() == ForeignKey.OnDelete.NO_ACTION || fk.onDelete() == ForeignKey.OnDelete.RESTRICT)
                .filter(fk -> !covered(policy, fk))
                .toList();
        return new PurgePlan(
                policy,
                cutoff,
                table,
                where,
                key,
                choice.strategy(),
                choice.reason(),
                choice.strategy() == PurgePlan.Strategy.RANGE ? deleteRange.orElseThrow() : deleteBatch,
                deleteBatch,
                dialect.count(table, where),
                range,
                matching,
                dependents,
                cascades,
                blockers);
    }

    /**
     * Whether finding a batch reads the whole table. Below {@link StrategyChoice#SMALL_TABLE} rows the
     * planner reads small tables whole even where an index exists, and a scan per batch costs little anyway.
     */
    private boolean noIndexServes(
            Connection connection, Table table, Sql deleteBatch, ScanRange range, PolicySettings policy)
            throws SQLException {
        return range.rows() >= StrategyChoice.SMALL_TABLE
                && dialect.explain(connection, deleteBatch, new SqlParam.BatchValues(policy.batchSize(), List.of()))
                        .fullScans()
                        .contains(table.name().name());
    }

    /** A referencing key is harmless when the policy only takes rows that key does not refer to. */
    private static boolean covered(PolicySettings policy, ForeignKey fk) {
        return policy.unreferencedBy().stream()
                .anyMatch(r -> TableName.parse(r.table())
                                .name()
                                .equalsIgnoreCase(fk.child().name())
                        && r.column().equalsIgnoreCase(fk.childColumn()));
    }

    private void cascades(
            Connection connection,
            ForeignKey fk,
            Sql parentKeys,
            Set<String> visited,
            List<PurgePlan.Cascade> into,
            int depth)
            throws SQLException {
        if (fk.onDelete() != ForeignKey.OnDelete.CASCADE
                || depth > MAX_CASCADE_DEPTH
                || !visited.add(fk.child().toString())) {
            return;
        }
        into.add(new PurgePlan.Cascade(fk.child(), fk, dialect.countIn(fk.child(), fk.childColumn(), parentKeys)));
        Optional<Table> child = dialect.describe(connection, fk.child());
        if (child.isEmpty()) {
            return;
        }
        for (ForeignKey next : dialect.referencing(connection, child.get())) {
            Sql childKeys = dialect.selectIn(fk.child(), next.parentColumn(), fk.childColumn(), parentKeys);
            cascades(connection, next, childKeys, visited, into, depth + 1);
        }
    }

    private static Column parentColumn(PolicySettings policy, Table table, ForeignKey fk) {
        return column(policy, table, fk.parentColumn());
    }

    private Predicate predicate(
            Connection connection, PolicySettings policy, Table table, Column time, Instant cutoff, Column key)
            throws SQLException {
        Predicate.Older older = older(connection, policy, table, time, cutoff);
        Predicate.Older fallback = null;
        if (policy.timeColumnFallback().isPresent()) {
            fallback = older(
                    connection,
                    policy,
                    table,
                    column(policy, table, policy.timeColumnFallback().get()),
                    cutoff);
        }
        Column status = null;
        List<SqlParam> values = new ArrayList<>();
        if (policy.statuses().isPresent()) {
            status = column(policy, table, policy.statuses().get().column());
            for (Object value : policy.statuses().get().values()) {
                values.add(statusValue(policy, status, value));
            }
        }
        List<Column> mustBeNull = new ArrayList<>();
        for (String name : policy.whereNull()) {
            mustBeNull.add(column(policy, table, name));
        }
        List<Predicate.Reference> references = new ArrayList<>();
        for (TableColumn reference : policy.unreferencedBy()) {
            Table referencing = table(connection, policy, reference.table());
            references.add(new Predicate.Reference(
                    referencing.name(),
                    column(policy, referencing, reference.column()).name()));
        }
        Predicate where = Predicate.of(table.name(), older, fallback, status, values, mustBeNull, key, references);
        for (PolicySettings.MissingParent missing : policy.missingParents()) {
            Table parent = table(connection, policy, missing.table());
            where = where.andParentMissing(
                    table.name(),
                    column(policy, table, missing.column()),
                    parent.name(),
                    column(policy, parent, missing.key()));
        }
        return where;
    }

    private Predicate.Older older(
            Connection connection, PolicySettings policy, Table table, Column column, Instant cutoff)
            throws SQLException {
        try {
            return new Predicate.Older(column, dialect.cutoff(connection, table, column, cutoff));
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage() + " (" + policy.location() + ")");
        }
    }

    private SqlParam statusValue(PolicySettings policy, Column status, Object value) {
        try {
            return dialect.value(status, value);
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage() + " (" + policy.location() + ")");
        }
    }

    private PurgePlan.Dependent dependent(
            Connection connection,
            PolicySettings policy,
            Table parent,
            Column key,
            Predicate where,
            TableColumn dependent)
            throws SQLException {
        Table table = table(connection, policy, dependent.table());
        Column column = column(policy, table, dependent.column());
        Sql count = dialect.countIn(table.name(), column.name(), dialect.selectKeys(parent, key, where));
        return new PurgePlan.Dependent(table, column, dialect.deleteByKeys(table, column), count);
    }

    private Table table(Connection connection, PolicySettings policy, String name) throws SQLException {
        return dialect.describe(connection, TableName.parse(name))
                .orElseThrow(() -> new PlanException("table \"" + name
                        + "\" does not exist in the database (policy defined at " + policy.location() + ")"));
    }

    private static Column column(PolicySettings policy, Table table, String name) {
        return table.column(name)
                .orElseThrow(() -> new PlanException("table \"" + table.name()
                        + "\" has no column \"" + name + "\" (policy defined at " + policy.location()
                        + "); its columns are "
                        + table.columns().stream().map(Column::name).toList()));
    }

    private static Column key(PolicySettings policy, Table table) {
        if (policy.keyColumn().isPresent()) {
            return column(policy, table, policy.keyColumn().get());
        }
        if (table.primaryKey().size() != 1) {
            throw new PlanException("table \"" + table.name() + "\" has no single-column primary key; set key-column"
                    + " for policy " + policy.name() + " (" + policy.location() + ")");
        }
        return column(policy, table, table.primaryKey().get(0));
    }
}
