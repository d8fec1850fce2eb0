package io.runsweep.jobs.purge;

import io.runsweep.jobs.common.Errors;
import io.runsweep.sql.Database;
import io.runsweep.sql.IndexUse;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dry run: the same plan a real run executes, counted and explained instead. It runs only SELECT
 * and EXPLAIN, inside a read-only transaction on a connection the database itself opened read-only.
 */
public final class PurgePreview {
    private final Database database;
    private final boolean allowLarge;

    public PurgePreview(Database database, boolean allowLarge) {
        this.database = database;
        this.allowLarge = allowLarge;
    }

    public PolicyReport preview(PurgePlan plan) {
        long started = System.nanoTime();
        String table = plan.table().name().toString();
        try (Connection connection = database.connection()) {
            connection.setReadOnly(true);
            return Transactions.rollBack(connection, () -> report(connection, plan, started));
        } catch (SQLException e) {
            return PolicyReport.failed(
                    plan.name(),
                    table,
                    Optional.of(plan.cutoff()),
                    List.of(),
                    0,
                    Duration.ofNanos(System.nanoTime() - started),
                    "dry run failed: " + Errors.describe(e),
                    List.of());
        }
    }

    private PolicyReport report(Connection connection, PurgePlan plan, long started) throws SQLException {
        int limit = plan.policy().batchSize();
        List<PolicyReport.TableRows> tables = new ArrayList<>();
        tables.add(new PolicyReport.TableRows(
                plan.table().name().toString(), count(connection, plan.count()), PolicyReport.Reach.MATCHED, ""));
        List<PolicyReport.PlannedStatement> statements = new ArrayList<>();
        statements.add(batchStatement(connection, plan));
        if (database.dialect().batchesCanMissChangedRows()) {
            statements.addAll(finalCheck(connection, plan));
        }
        List<Object> sampleKeys = plan.sampleKeys(connection, database.dialect());
        for (PurgePlan.Dependent d : plan.dependents()) {
            tables.add(new PolicyReport.TableRows(
                    d.table().name().toString(),
                    count(connection, d.count()),
                    PolicyReport.Reach.DEPENDENT,
                    d.column().name()));
            statements.add(new PolicyReport.PlannedStatement(
                    "in the same transaction, delete from " + d.table().name()
                            + " the rows of the batch's deleted keys",
                    d.delete().display(),
                    explain(connection, d.delete(), limit, sampleKeys)));
        }
        for (PurgePlan.Cascade c : plan.cascades()) {
            tables.add(new PolicyReport.TableRows(
                    c.table().toString(),
                    count(connection, c.count()),
                    PolicyReport.Reach.CASCADE,
                    c.foreignKey().name() + " (" + c.foreignKey().childColumn() + " ON DELETE CASCADE)"));
        }
        List<String> notes =
                new ArrayList<>(List.of("strategy " + plan.strategy().configName() + ": " + plan.strategyReason()));
        Map<String, Long> counted = new HashMap<>();
        tables.forEach(t -> counted.putIfAbsent(Preflight.countedKey(t.how(), t.table()), t.rows()));
        Preflight preflight = Preflight.measure(database, connection, plan, counted);
        Refusal.of(preflight, allowLarge).ifPresent(why -> notes.add("a real run would REFUSE this policy: " + why));
        return new PolicyReport(
                plan.name(),
                plan.table().name().toString(),
                Optional.of(plan.cutoff()),
                PolicyReport.Outcome.PREVIEWED,
                tables,
                0,
                Duration.ofNanos(System.nanoTime() - started),
                Optional.empty(),
                statements,
                notes,
                Optional.empty());
    }

    /** The batch statement, explained with the first batch's real limit or range. */
    private PolicyReport.PlannedStatement batchStatement(Connection connection, PurgePlan plan) throws SQLException {
        int limit = plan.policy().batchSize();
        if (plan.strategy() == PurgePlan.Strategy.RANGE) {
            long start = plan.range().start();
            BatchValues first = BatchValues.range(start, Math.min(plan.range().end(), start + 1000));
            return new PolicyReport.PlannedStatement(
                    "delete the matching rows of one range of the table, range after"
                            + " range from " + start + " to " + plan.range().end() + ", each range sized to about "
                            + "runsweep.batch.target-duration",
                    plan.deleteBatch().display(),
                    database.dialect()
                            .explain(connection, plan.deleteBatch(), first)
                            .summary());
        }
        return new PolicyReport.PlannedStatement(
                "delete one batch of up to " + limit + " rows (then sized to about"
                        + " runsweep.batch.target-duration), repeated until none match",
                plan.deleteBatch().display(),
                explain(connection, plan.deleteBatch(), limit, List.of()));
    }

    /** After the batches, what a real run runs to leave nothing that matched (PurgeRunner's final passes). */
    private List<PolicyReport.PlannedStatement> finalCheck(Connection connection, PurgePlan plan) throws SQLException {
        List<PolicyReport.PlannedStatement> statements = new ArrayList<>();
        statements.add(new PolicyReport.PlannedStatement(
                "after the batches, count the rows that still match (a row changed while they ran can escape them);"
                        + " any left go in more batches",
                plan.count().display(),
                database.dialect()
                        .explain(connection, plan.count(), BatchValues.NONE)
                        .summary()));
        if (plan.strategy() == PurgePlan.Strategy.RANGE) {
            statements.add(new PolicyReport.PlannedStatement(
                    "which find their rows by index, up to " + plan.policy().batchSize() + " at a time",
                    plan.indexedDelete().display(),
                    explain(connection, plan.indexedDelete(), plan.policy().batchSize(), List.of())));
        }
        return statements;
    }

    private static long count(Connection connection, Sql count) throws SQLException {
        try (PreparedStatement s = count.prepare(connection, BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Real keys of matching rows, so the dependent delete is explained with the list it would really get. */
    private String explain(Connection connection, Sql statement, int limit, List<Object> keys) throws SQLException {
        IndexUse use = database.dialect().explain(connection, statement, new BatchValues(limit, keys));
        return use.summary();
    }
}
