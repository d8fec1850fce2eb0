package io.runsweep.jobs.purge;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.TableColumn;
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
import io.runsweep.sql.TimeForm;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/** Turns a policy into a {@link PurgePlan} by checking every name it uses against the live catalog. */
public final class PurgePlanner {
    private static final int MAX_CASCADE_DEPTH = 6;

    private final Dialect dialect;

    public PurgePlanner(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Plans {@code policy} with its cutoff at {@code now - older-than}, computed once for the whole run and taken
     * to the whole second before it, so that every form of time compares it exactly.
     */
    public PurgePlan plan(Connection connection, PolicySettings policy, Instant now) throws SQLException {
        return plan(connection, policy, List.of(), now);
    }

    /**
     * Plans {@code policy}, and how its cascades meet {@code keepers}: the other policies, whose tables a
     * cascade must not empty of rows they keep. Only the keepers of a table a cascade reaches are planned, and
     * only as far as their predicates.
     */
    public PurgePlan plan(Connection connection, PolicySettings policy, List<PolicySettings> keepers, Instant now)
            throws SQLException {
        Table table = table(connection, policy, policy.table());
        Privileges.requireSelect(
                connection, dialect, table.name(), "to plan the policy and find its rows", describedAt(policy));
        Instant cutoff = TimeForm.wholeSecond(now.minus(policy.olderThan()));
        Column time = column(policy, table, policy.timeColumn());
        List<ForeignKey> referencing = dialect.referencing(connection, table);
        boolean needsKey = !policy.dependents().isEmpty()
                || !policy.unreferencedBy().isEmpty()
                || referencing.stream().anyMatch(fk -> fk.onDelete() == ForeignKey.OnDelete.CASCADE);
        Optional<Column> key = needsKey ? Optional.of(key(policy, table)) : Optional.empty();
        Predicate where = predicate(connection, policy, table, time, cutoff, key.orElse(null), true);
        List<PurgePlan.Dependent> dependents = new ArrayList<>();
        for (TableColumn dependent : policy.dependents()) {
            dependents.add(dependent(connection, policy, table, key.orElseThrow(), where, dependent));
        }
        Optional<Column> returning = dependents.isEmpty() ? Optional.empty() : key;
        Sql deleteBatch = dialect.deleteBatch(table, where, returning);
        ScanRange range = dialect.scanRange(connection, table);
        RowCount matching = dialect.estimateMatching(connection, table, where);
        // A condition that reads other tables can match a row it did not match at the start: no proof by count.
        boolean rowAlone =
                policy.unreferencedBy().isEmpty() && policy.missingParents().isEmpty();
        boolean takesCountedRows =
                rowAlone && dialect.countAtStart(table, where).isPresent();
        Optional<Sql> deleteRange = dialect.deleteRange(connection, table, where, returning, takesCountedRows);
        Optional<KeysetBatch> keyset = policy.strategy() != PolicySettings.Strategy.BLOCK_RANGE
                        && policy.timeColumnFallback().isEmpty()
                ? dialect.keysetBatch(connection, table, where, time, returning, takesCountedRows)
                : Optional.empty();
        // Batches in time order read the time column's index by construction; a batch of any rows may be planned
        // as a scan of the table that stops at its LIMIT, which says nothing about the batches after it.
        boolean noIndex = keyset.isEmpty() && noIndexServes(connection, table, deleteBatch, range, policy);
        LongFunction<StrategyChoice> chooseFor = rows -> StrategyChoice.choose(
                policy.strategy(),
                range,
                rows,
                deleteRange.isPresent(),
                dialect.rangeSweepPaysForLargeShares(),
                noIndex);
        StrategyChoice choice = chooseFor.apply(matching.rows());
        if (choice.strategy() == PurgePlan.Strategy.RANGE
                && policy.strategy() == PolicySettings.Strategy.AUTO
                && !noIndex
                && matching.estimated()) {
            long changed = dialect.changedSinceStatistics(connection, table);
            long line = StrategyChoice.rangeLine(range);
            // Were every change a matching row deleted, 10% or fewer might match: the estimate cannot decide.
            if (matching.rows() - changed <= line) {
                long counted = dialect.countMatchingUpTo(connection, table, where, line + 1);
                if (counted <= line) {
                    choice = chooseFor.apply(counted).countedSince(changed, matching.rows());
                    matching = RowCount.counted(counted);
                } else {
                    choice = StrategyChoice.countedAboveLine(range, changed, matching.rows());
                }
            }
        }
        Reach reach = new Reach(connection, policy, table.name(), keepers, now);
        reach.visited.add(table.name().toString());
        for (ForeignKey fk : referencing) {
            if (!covered(policy, fk)) {
                Sql parentKeys = dialect.selectKeys(table, parentColumn(policy, table, fk), where);
                cascades(reach, fk, fk, parentKeys, 1);
            }
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
                choice.strategy() == PurgePlan.Strategy.INDEX ? keyset : Optional.empty(),
                dialect.count(table, where),
                range,
                matching,
                dependents,
                reach.cascades,
                blockers,
                reach.conflicts);
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

    /** What the cascades of one plan reach, found as the planner walks its foreign keys. */
    private static final class Reach {
        final Connection connection;
        final PolicySettings policy;
        final TableName table;
        final List<PolicySettings> keepers;
        final Instant now;
        final Set<String> visited = new HashSet<>();
        final List<PurgePlan.Cascade> cascades = new ArrayList<>();
        final List<PurgePlan.Conflict> conflicts = new ArrayList<>();

        Reach(
                Connection connection,
                PolicySettings policy,
                TableName table,
                List<PolicySettings> keepers,
                Instant now) {
            this.connection = connection;
            this.policy = policy;
            this.table = table;
            this.keepers = keepers;
            this.now = now;
        }
    }

    private void cascades(Reach reach, ForeignKey first, ForeignKey fk, Sql parentKeys, int depth) throws SQLException {
        // A key into the policy's own table (a run's parent run) takes rows the policy itself judges: measured
        // like any cascade, and its rows then cascade where the policy's own rows already do.
        boolean intoItself = sameTable(fk.child(), reach.table);
        if (fk.onDelete() != ForeignKey.OnDelete.CASCADE
                || depth > MAX_CASCADE_DEPTH
                || !reach.visited.add(
                        intoItself ? fk.name() + " into itself" : fk.child().toString())) {
            return;
        }
        PurgePlan.Cascade cascade = new PurgePlan.Cascade(
                fk.child(),
                fk,
                dialect.countIn(fk.child(), fk.childColumn(), parentKeys),
                first,
                dialect.reachedLeavesEnd(fk.child(), fk.childColumn(), parentKeys));
        reach.cascades.add(cascade);
        Optional<Table> child = dialect.describe(reach.connection, fk.child());
        if (child.isEmpty()) {
            return;
        }
        conflict(reach, cascade, child.get(), parentKeys).ifPresent(reach.conflicts::add);
        if (intoItself) {
            return;
        }
        for (ForeignKey next : dialect.referencing(reach.connection, child.get())) {
            Sql childKeys = dialect.selectIn(fk.child(), next.parentColumn(), fk.childColumn(), parentKeys);
            cascades(reach, first, next, childKeys, depth + 1);
        }
    }

    /**
     * The other policies that manage the cascade's table and could keep a row it reaches. A row reached through
     * a foreign key has that key's column set, so a policy that takes only rows where it is NULL (Prefect's
     * task-runs: task runs without a flow run) never keeps one: the cascade deletes what is its parent's to
     * delete. A cascade into the policy's own table meets the policy itself: the young children of an old row are
     * rows it keeps.
     */
    private Optional<PurgePlan.Conflict> conflict(Reach reach, PurgePlan.Cascade cascade, Table child, Sql parentKeys)
            throws SQLException {
        String column = cascade.foreignKey().childColumn();
        List<PolicySettings> managers = new ArrayList<>(reach.keepers.stream()
                .filter(k -> !k.name().equals(reach.policy.name()))
                .filter(k -> sameTable(TableName.parse(k.table()), child.name()))
                .toList());
        if (sameTable(child.name(), reach.table)) {
            managers.add(0, reach.policy);
        }
        List<PolicySettings> keepers = managers.stream()
                .filter(k -> k.whereNull().stream().noneMatch(column::equalsIgnoreCase))
                .toList();
        if (keepers.isEmpty()) {
            return Optional.empty();
        }
        List<List<Column>> scopes = new ArrayList<>();
        List<Predicate> due = new ArrayList<>();
        for (PolicySettings keeper : keepers) {
            try {
                Table table = table(reach.connection, keeper, keeper.table());
                Column time = column(keeper, table, keeper.timeColumn());
                Instant cutoff = reach.now.minus(keeper.olderThan());
                due.add(predicate(reach.connection, keeper, table, time, cutoff, null, false));
                List<Column> scope = new ArrayList<>();
                for (String name : keeper.whereNull()) {
                    scope.add(column(keeper, table, name));
                }
                scopes.add(scope);
            } catch (PlanException e) {
                throw new PlanException("cannot tell which \"" + child.name() + "\" rows policy " + keeper.name()
                        + " keeps, and policy " + reach.policy.name() + " deletes such rows by cascade through "
                        + cascade.foreignKey().name() + " (policy defined at " + reach.policy.location() + "): "
                        + e.getMessage());
            }
        }
        return Optional.of(new PurgePlan.Conflict(
                cascade, keepers, dialect.countKept(child.name(), column, parentKeys, scopes, due)));
    }

    private static String describedAt(PolicySettings policy) {
        return policy.name() + " (" + policy.location() + ")";
    }

    private static boolean sameTable(TableName configured, TableName catalog) {
        return configured.name().equalsIgnoreCase(catalog.name())
                && (configured.schema().isEmpty()
                        || catalog.schema().isEmpty()
                        || configured
                                .schema()
                                .get()
                                .equalsIgnoreCase(catalog.schema().get()));
    }

    private static Column parentColumn(PolicySettings policy, Table table, ForeignKey fk) {
        return column(policy, table, fk.parentColumn());
    }

    /** @param withReferences false leaves the unreferenced-by tests out: what the policy keeps by age and status */
    private Predicate predicate(
            Connection connection,
            PolicySettings policy,
            Table table,
            Column time,
            Instant cutoff,
            Column key,
            boolean withReferences)
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
            List<String> accepted = dialect.acceptedValues(connection, table, status);
            for (Object value : policy.statuses().get().values()) {
                values.add(statusValue(policy, table, status, accepted, value));
            }
        }
        List<Column> mustBeNull = new ArrayList<>();
        for (String name : policy.whereNull()) {
            mustBeNull.add(column(policy, table, name));
        }
        List<Predicate.Reference> references = new ArrayList<>();
        for (TableColumn reference : withReferences ? policy.unreferencedBy() : List.<TableColumn>of()) {
            Table referencing = table(connection, policy, reference.table());
            Privileges.requireSelect(
                    connection,
                    dialect,
                    referencing.name(),
                    "for the policy's unreferenced-by test",
                    describedAt(policy));
            Column column = column(policy, referencing, reference.column());
            requireComparable(policy, table, key, referencing, column, "unreferenced-by");
            references.add(new Predicate.Reference(referencing.name(), column.name()));
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
            return dialect.older(connection, table, column, cutoff);
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage() + " (" + policy.location() + ")");
        }
    }

    private SqlParam statusValue(
            PolicySettings policy, Table table, Column status, List<String> accepted, Object value) {
        if (!accepted.isEmpty() && !accepted.contains(String.valueOf(value))) {
            throw new PlanException("policy " + policy.name() + " (" + policy.location() + "): statuses value '"
                    + value + "' is not a value of \"" + table.name() + "\".\"" + status.name() + "\" (type "
                    + status.typeName() + "), which accepts only " + String.join(", ", accepted));
        }
        try {
            return dialect.value(status, value);
        } catch (IllegalArgumentException e) {
            throw new PlanException(
                    "policy " + policy.name() + " (" + policy.location() + "): statuses: " + e.getMessage());
        }
    }

    /**
     * A column that refers to the policy's key must hold the same kind of value: compared with another, a delete
     * fails at its first batch (PostgreSQL: no operator) or matches nothing, ever (SQLite).
     */
    private void requireComparable(
            PolicySettings policy, Table table, Column key, Table referring, Column column, String what) {
        if (key != null && !dialect.comparable(key, column)) {
            throw new PlanException("policy " + policy.name() + " (" + policy.location() + "): " + what + " \""
                    + referring.name() + "\".\"" + column.name() + "\" is of type " + column.typeName()
                    + ", but the key it refers to, \"" + table.name() + "\".\"" + key.name() + "\", is of type "
                    + key.typeName() + ": its values can never equal the key's");
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
        Privileges.requireSelect(
                connection, dialect, table.name(), "to count and delete its dependent rows", describedAt(policy));
        Column column = column(policy, table, dependent.column());
        requireComparable(policy, parent, key, table, column, "dependent");
        Sql parentKeys = dialect.selectKeys(parent, key, where);
        return new PurgePlan.Dependent(
                table,
                column,
                dialect.deleteByKeys(table, column),
                dialect.countIn(table.name(), column.name(), parentKeys),
                dialect.reachedLeavesEnd(table.name(), column.name(), parentKeys));
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
