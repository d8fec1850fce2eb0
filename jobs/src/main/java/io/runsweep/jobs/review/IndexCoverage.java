package io.runsweep.jobs.review;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.config.ReviewSettings;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.IndexCatalog;
import io.runsweep.sql.IndexInfo;
import io.runsweep.sql.IndexUse;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether each statement of a plan finds its rows through an index: the policy's batch, the rows its
 * {@code unreferenced-by} test looks up, each dependent's delete by key, and each cascade's foreign key.
 *
 * <p>The database's own planner is asked (EXPLAIN), told to prefer any index it can use so that a small
 * table does not hide a missing one. An index counts only when it leads with a column the statement
 * tests: PostgreSQL will otherwise walk a whole index, filtering on its second column, which reads as
 * much as the table. The catalog then says which column lacks an index, and the fix adds it.
 */
final class IndexCoverage {
    private final Dialect dialect;
    private final IndexCatalog catalog;
    private final ReviewSettings review;

    IndexCoverage(Dialect dialect, IndexCatalog catalog, ReviewSettings review) {
        this.dialect = dialect;
        this.catalog = catalog;
        this.review = review;
    }

    /**
     * What is checked on one table, and how a finding names it.
     *
     * @param oncePerRun without an index the table is read once per run (the policy's own batches, swept in
     *     ranges), not once per batch or per row: a cost that grows with the table, not with its square
     */
    private record Target(
            Table table,
            List<String> testedColumns,
            List<String> keyColumns,
            String what,
            String purpose,
            boolean oncePerRun) {
        Target(Table table, List<String> testedColumns, List<String> keyColumns, String what, String purpose) {
            this(table, testedColumns, keyColumns, what, purpose, false);
        }
    }

    /** Runs only EXPLAIN and SELECT, in a transaction it rolls back. */
    List<Finding> of(Connection connection, PurgePlan plan) throws SQLException {
        return Transactions.rollBack(connection, () -> {
            catalog.preferIndexes(connection);
            List<Finding> findings = new ArrayList<>(batch(connection, plan));
            findings.addAll(dependents(connection, plan));
            findings.addAll(cascades(connection, plan));
            return findings;
        });
    }

    private List<Finding> batch(Connection connection, PurgePlan plan) throws SQLException {
        PolicySettings policy = plan.policy();
        IndexUse use =
                dialect.explain(connection, plan.indexedDelete(), new BatchValues(policy.batchSize(), List.of()));
        List<String> timeColumns = new ArrayList<>(List.of(policy.timeColumn()));
        policy.timeColumnFallback().ifPresent(timeColumns::add);
        List<String> tested = new ArrayList<>(timeColumns);
        policy.statuses().ifPresent(s -> tested.add(s.column()));
        tested.addAll(policy.whereNull());
        List<Finding> findings = new ArrayList<>();
        findings.add(coverage(
                connection,
                plan,
                use,
                new Target(
                        plan.table(),
                        tested,
                        timeColumns,
                        quoted(plan.table().name()),
                        "finding the policy's rows (" + plan.where().text() + ")",
                        policy.strategy() != PolicySettings.Strategy.INDEX)));
        for (TableColumn reference : policy.unreferencedBy()) {
            Optional<Table> referencing = dialect.describe(connection, TableName.parse(reference.table()));
            if (referencing.isPresent()) {
                List<String> column = List.of(reference.column());
                findings.add(coverage(
                        connection,
                        plan,
                        use,
                        new Target(
                                referencing.get(),
                                column,
                                column,
                                "unreferenced-by " + quoted(referencing.get().name()) + "."
                                        + quoted(reference.column()),
                                "the unreferenced-by test, for every row it considers,")));
            }
        }
        return findings;
    }

    private List<Finding> dependents(Connection connection, PurgePlan plan) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        int limit = plan.policy().batchSize();
        List<Object> keys = plan.sampleKeys(connection, dialect);
        for (PurgePlan.Dependent dependent : plan.dependents()) {
            IndexUse use = dialect.explain(connection, dependent.delete(), new BatchValues(limit, keys));
            TableName name = dependent.table().name();
            List<String> column = List.of(dependent.column().name());
            findings.add(coverage(
                    connection,
                    plan,
                    use,
                    new Target(
                            dependent.table(),
                            column,
                            column,
                            "dependent " + quoted(name) + "."
                                    + quoted(dependent.column().name()),
                            "deleting each batch's " + quoted(name) + " rows")));
        }
        return findings;
    }

    /**
     * The database looks up each deleted row's children by the foreign key's column, in a query EXPLAIN
     * cannot show: the catalog answers. Only missing indexes are reported.
     */
    private List<Finding> cascades(Connection connection, PurgePlan plan) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        for (PurgePlan.Cascade cascade : plan.cascades()) {
            Optional<Table> child = dialect.describe(connection, cascade.table());
            String column = cascade.foreignKey().childColumn();
            if (child.isPresent()
                    && leading(connection, child.get(), List.of(column)).isEmpty()) {
                findings.add(missing(
                        connection,
                        topic(plan),
                        new Target(
                                child.get(),
                                List.of(column),
                                List.of(column),
                                "cascade",
                                "the ON DELETE CASCADE of "
                                        + cascade.foreignKey().name() + ", for every deleted row,")));
            }
        }
        return findings;
    }

    private Finding coverage(Connection connection, PurgePlan plan, IndexUse use, Target target) throws SQLException {
        TableName name = target.table().name();
        List<IndexInfo> indexes = catalog.indexes(connection, target.table());
        Optional<String> usable = use.accesses().stream()
                .filter(a -> !a.fullScan() && sameTable(a.table(), name))
                .map(IndexUse.Access::index)
                .filter(index -> indexes.stream()
                        .anyMatch(i -> i.name().equals(unquoted(index))
                                && target.testedColumns().stream().anyMatch(i::leadsWith)))
                .findFirst();
        boolean reached = use.accesses().stream().anyMatch(a -> sameTable(a.table(), name));
        if (usable.isPresent() && !readsWhole(use, name)) {
            return Finding.ok(topic(plan), target.what() + ": found by index " + unquoted(usable.get()));
        }
        if (!reached) {
            // The plan does not show the table (no sample keys to explain with): the catalog decides.
            Optional<IndexInfo> leading = leading(connection, target.table(), target.keyColumns());
            if (leading.isPresent()) {
                return Finding.ok(
                        topic(plan), target.what() + ": index " + leading.get().name());
            }
        }
        Optional<IndexInfo> atScale =
                leading(connection, target.table(), target.testedColumns()).filter(i -> !partial(i));
        if (atScale.isPresent() && catalog.readsSmallTablesWhole()) {
            long rows = dialect.scanRange(connection, target.table()).rows();
            if (rows < AT_SCALE) {
                return Finding.ok(
                        topic(plan),
                        target.what() + ": index " + atScale.get().name() + " (the database reads a table of "
                                + Formats.count(rows, "row")
                                + " whole; at scale it uses the index)");
            }
        }
        return missing(connection, topic(plan), target);
    }

    /**
     * Below this many rows, a plan that reads the table whole may say only that the table is small: SQLite, with
     * the statistics its optimize pragma gathers, reads a table of a few dozen rows whole whatever its indexes.
     */
    private static final long AT_SCALE = 10_000;

    /** A partial index answers only queries its WHERE clause covers: it says nothing of this statement at scale. */
    private static boolean partial(IndexInfo index) {
        return index.signature().contains("where");
    }

    private Optional<IndexInfo> leading(Connection connection, Table table, List<String> columns) throws SQLException {
        return catalog.indexes(connection, table).stream()
                .filter(i -> columns.stream().anyMatch(i::leadsWith))
                .findFirst();
    }

    /** The table is read whole: name the columns without an index, and the statements that would add them. */
    private Finding missing(Connection connection, String topic, Target target) throws SQLException {
        TableName name = target.table().name();
        List<IndexInfo> indexes = catalog.indexes(connection, target.table());
        List<String> unindexed = target.keyColumns().stream()
                .filter(c -> indexes.stream().noneMatch(i -> i.leadsWith(c)))
                .toList();
        if (unindexed.isEmpty()) {
            String message = quoted(name) + " is read whole for " + target.purpose() + " although an index"
                    + " leads with "
                    + target.keyColumns().stream().map(IndexCoverage::quoted).collect(Collectors.joining(" and "))
                    + ": the database cannot use it for this statement";
            return target.oncePerRun()
                    ? Finding.note(topic, message + "; each run reads the table once, range by range")
                    : Finding.warning(topic, message, Optional.empty());
        }
        String columns =
                unindexed.stream().map(c -> quoted(name) + "." + quoted(c)).collect(Collectors.joining(" or "));
        Optional<String> fix = Optional.of(unindexed.stream()
                .map(c -> catalog.createIndex(name, c, review.indexName(name.name(), c)))
                .collect(Collectors.joining("\n")));
        if (target.oncePerRun()) {
            return Finding.note(
                    topic,
                    "no index on " + columns + ": each run reads the whole table once, range by range, for "
                            + target.purpose() + "; an index would let it read only the rows that go",
                    fix);
        }
        return Finding.warning(
                topic, "no index on " + columns + ": " + target.purpose() + " reads the whole table", fix);
    }

    /** EXPLAIN quotes a name whose case needs it ({@code "IX_JobOccurrences_WorkflowRunId"}); the catalog does not. */
    private static String unquoted(String name) {
        return name.replace("\"", "");
    }

    private static boolean readsWhole(IndexUse use, TableName table) {
        return use.fullScans().stream().anyMatch(t -> sameTable(t, table));
    }

    /** EXPLAIN names tables as the plan spells them: unqualified, quoted where their case needs it. */
    private static boolean sameTable(String planned, TableName table) {
        return planned.replace("\"", "").equalsIgnoreCase(table.name());
    }

    static String topic(PurgePlan plan) {
        return "policy " + plan.name();
    }

    static String quoted(TableName table) {
        return "\"" + table + "\"";
    }

    static String quoted(String column) {
        return "\"" + column + "\"";
    }
}
