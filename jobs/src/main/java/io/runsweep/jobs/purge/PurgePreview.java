package io.runsweep.jobs.purge;

import io.runsweep.jobs.common.Errors;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.KeysetBatch;
import io.runsweep.sql.Queries;
import io.runsweep.sql.RowCount;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
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
 * Asked for speed, it takes the database's row estimates instead of counting, where the database has them.
 */
public final class PurgePreview {
    private final Database database;
    private final boolean allowLarge;
    private final boolean estimate;

    public PurgePreview(Database database, boolean allowLarge) {
        this(database, allowLarge, false);
    }

    /** @param estimate take the database's row estimates instead of counting (PostgreSQL; SQLite counts) */
    public PurgePreview(Database database, boolean allowLarge, boolean estimate) {
        this.database = database;
        this.allowLarge = allowLarge;
        this.estimate = estimate;
    }

    public PolicyReport preview(PurgePlan plan) {
        return previewUnlessStopped(plan, new StopSignal()).orElseThrow();
    }

    /** The preview; empty when {@code stop} was raised before it ended, which cancels the count it was making. */
    public Optional<PolicyReport> previewUnlessStopped(PurgePlan plan, StopSignal stop) {
        long started = System.nanoTime();
        String table = plan.table().name().toString();
        try (Connection connection = database.connection()) {
            return stop.unlessStopped(database.dialect(), connection, () -> {
                connection.setReadOnly(true);
                return Transactions.rollBack(connection, () -> report(connection, plan, started));
            });
        } catch (SQLException e) {
            return Optional.of(PolicyReport.failed(
                    plan.name(),
                    table,
                    Optional.of(plan.cutoff()),
                    List.of(),
                    0,
                    Duration.ofNanos(System.nanoTime() - started),
                    "dry run failed: " + Errors.describe(e),
                    List.of()));
        }
    }

    private PolicyReport report(Connection connection, PurgePlan plan, long started) throws SQLException {
        int limit = plan.policy().batchSize();
        List<PolicyReport.TableRows> tables = new ArrayList<>();
        String table = plan.table().name().toString();
        // Counted while planning (few rows on PostgreSQL, always on SQLite): not counted twice.
        tables.add(
                plan.matching().estimated()
                        ? rows(connection, table, plan.count(), PolicyReport.Reach.MATCHED, "")
                        : new PolicyReport.TableRows(table, plan.matching().rows(), PolicyReport.Reach.MATCHED, ""));
        List<PolicyReport.PlannedStatement> statements = new ArrayList<>();
        if (plan.countsAtStart()) {
            Sql count =
                    database.dialect().countAtStart(plan.table(), plan.where()).orElseThrow();
            String spare = plan.countsBesideOnlyOnIdleConnection()
                    ? "when the pool holds one made and idle"
                    : "when the pool has one to spare";
            statements.add(new PolicyReport.PlannedStatement(
                    "in a snapshot taken before the first batch, count the rows that match (beside the batches, on a"
                            + " second connection, " + spare + ") and note the oldest transaction then running; the"
                            + " batches take only row versions older than it, so when they have taken as many rows as"
                            + " counted here, none escaped them",
                    count.display(),
                    explain(connection, count, BatchValues.NONE)));
        }
        statements.addAll(batchStatements(connection, plan));
        if (database.dialect().batchesCanMissChangedRows()) {
            statements.addAll(finalCheck(connection, plan, Optional.empty()));
        }
        List<Object> sampleKeys = plan.sampleKeys(connection, database.dialect());
        for (PurgePlan.Dependent d : plan.dependents()) {
            tables.add(rows(
                    connection,
                    d.table().name().toString(),
                    d.count(),
                    PolicyReport.Reach.DEPENDENT,
                    d.column().name()));
            statements.add(new PolicyReport.PlannedStatement(
                    "in the same transaction, delete from " + d.table().name()
                            + " the rows of the batch's deleted keys",
                    d.delete().display(),
                    explain(connection, d.delete(), limit, sampleKeys)));
        }
        for (PurgePlan.Cascade c : plan.cascades()) {
            tables.add(rows(
                    connection,
                    c.table().toString(),
                    c.count(),
                    PolicyReport.Reach.CASCADE,
                    c.foreignKey().name() + " (" + c.foreignKey().childColumn() + " ON DELETE CASCADE)"));
        }
        List<String> notes = new ArrayList<>(List.of(PolicyReport.strategyNote(plan)));
        // Only counts: an estimate a little under the truth would hide a table the run empties.
        Map<String, Long> counted = new HashMap<>();
        tables.stream()
                .filter(t -> !t.estimated())
                .forEach(t -> counted.putIfAbsent(Preflight.countedKey(t.how(), t.table()), t.rows()));
        Preflight preflight = Preflight.measure(database, connection, plan, counted);
        Refusal.of(preflight, allowLarge).ifPresent(why -> notes.add("a real run would REFUSE this policy: " + why));
        Optional<ArchiveSummary> archive = Optional.empty();
        if (plan.archive().isPresent()) {
            ArchivePlan a = plan.archive().get();
            statements = archiveStatements(connection, plan, a);
            if (database.dialect().batchesCanMissChangedRows()) {
                statements.addAll(finalCheck(connection, plan, Optional.of(a)));
            }
            a.prepare().forEach(ddl -> notes.add("before the first batch, for the archive: " + ddl));
            java.util.Map<String, Long> copies = new java.util.LinkedHashMap<>();
            tables.forEach(t -> copies.merge(t.table(), t.rows(), Long::sum));
            archive = Optional.of(new ArchiveSummary(a.destinations(), copies, 0));
        }
        if (estimate) {
            notes.add(
                    tables.stream().anyMatch(PolicyReport.TableRows::estimated)
                            ? "rows shown as \"about\" are the planner's estimates, not counts (asked for with --estimate)"
                            : database.kind() == DatabaseKind.SQLITE
                                    ? "rows are counted: this database keeps no row estimates to answer --estimate with"
                                    : "rows are counted: the planner estimated too few of them to be worth estimating");
        }
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
                Optional.empty(),
                Duration.ZERO,
                archive);
    }

    /**
     * What an archiving batch runs instead of the plain delete: the locking reads, the deletes that check they took
     * what was read, and the copies' inserts.
     */
    private List<PolicyReport.PlannedStatement> archiveStatements(Connection connection, PurgePlan plan, ArchivePlan a)
            throws SQLException {
        int limit = plan.policy().batchSize();
        BatchValues first = plan.strategy() == PurgePlan.Strategy.RANGE
                ? BatchValues.range(
                        plan.range().start(),
                        Math.min(plan.range().end(), plan.range().start() + 1000))
                : new BatchValues(limit, List.of());
        List<PolicyReport.PlannedStatement> all = new ArrayList<>();
        all.add(new PolicyReport.PlannedStatement(
                "lock and read every column of one batch's rows (then sized to about runsweep.batch.target-duration),"
                        + " repeated until none match",
                a.lockBatch().display(),
                database.dialect().explain(connection, a.lockBatch(), first).summary()));
        for (ArchivePlan.Level level : a.cascades()) {
            all.add(new PolicyReport.PlannedStatement(
                    "lock and read the rows of " + level.table().name() + " the cascade from " + level.parent()
                            + " would delete",
                    level.lock().display(),
                    ""));
        }
        for (ArchivePlan.Dependent d : a.dependents()) {
            all.add(new PolicyReport.PlannedStatement(
                    "delete from " + d.table().name() + " the rows of the batch's keys, returning them",
                    d.deleteReturning().display(),
                    ""));
        }
        for (int i = a.cascades().size() - 1; i >= 0; i--) {
            ArchivePlan.Level level = a.cascades().get(i);
            all.add(new PolicyReport.PlannedStatement(
                    "delete the rows of " + level.table().name() + " read above (deepest first), checking the count",
                    level.delete().display(),
                    ""));
        }
        all.add(new PolicyReport.PlannedStatement(
                "delete the batch's rows of " + plan.table().name() + " by key, checking the count",
                a.deleteByKey().display(),
                ""));
        a.archiveTables()
                .forEach((source, archive) -> all.add(new PolicyReport.PlannedStatement(
                        "copy the batch's rows of " + source + " into the archive, in the same transaction",
                        "INSERT INTO " + archive.quoted() + " (<the columns of " + source + ">, runsweep_archived_at,"
                                + " runsweep_policy) VALUES (...)",
                        "")));
        a.directory()
                .ifPresent(d -> all.add(new PolicyReport.PlannedStatement(
                        "append the batch's rows of each table to " + d + "/<table>/<run>-<n>.jsonl.gz, forced to disk"
                                + " before the commit",
                        "(a file, no SQL)",
                        "")));
        return all;
    }

    /** The batch statements, explained with the first batch's real limit, range or times. */
    private List<PolicyReport.PlannedStatement> batchStatements(Connection connection, PurgePlan plan)
            throws SQLException {
        if (plan.keyset().isEmpty()) {
            return List.of(batchStatement(connection, plan));
        }
        KeysetBatch keyset = plan.keyset().get();
        int limit = plan.policy().batchSize();
        BatchValues allTimes = BatchValues.betweenTimes(keyset.first(), keyset.last());
        if (plan.timeOrderTakesCountedRows()) {
            allTimes = allTimes.withStartXid(database.dialect().startXidNow(connection));
        }
        return List.of(
                new PolicyReport.PlannedStatement(
                        "find where the next batch of up to " + limit + " rows (then sized to about"
                                + " runsweep.batch.target-duration) ends: the time of the row after them, read in"
                                + " order from where the last batch ended",
                        keyset.end().display(),
                        explain(connection, keyset.end(), BatchValues.fromTime(keyset.first(), limit))),
                new PolicyReport.PlannedStatement(
                        "delete the rows from where the last batch ended to there (the rest, when no row is after"
                                + " them), repeated until none match",
                        keyset.delete().display(),
                        explain(connection, keyset.delete(), allTimes)),
                new PolicyReport.PlannedStatement(
                        "when more than a batch's rows share that time, delete up to a batch of any matching rows"
                                + " instead",
                        plan.deleteBatch().display(),
                        explain(connection, plan.deleteBatch(), limit, List.of())));
    }

    /** The batch statement, explained with the first batch's real limit or range. */
    private PolicyReport.PlannedStatement batchStatement(Connection connection, PurgePlan plan) throws SQLException {
        int limit = plan.policy().batchSize();
        if (plan.strategy() == PurgePlan.Strategy.RANGE) {
            long start = plan.range().start();
            BatchValues range = BatchValues.range(start, Math.min(plan.range().end(), start + 1000));
            // Explained even when an archive's statements will run instead: the dry run replaces the list afterwards.
            BatchValues first = plan.rangesTakeCountedRows()
                    ? range.withStartXid(database.dialect().startXidNow(connection))
                    : range;
            return new PolicyReport.PlannedStatement(
                    "delete the matching rows of one range of the table, range after"
                            + " range from " + start + " to " + plan.range().end() + ", each range sized to about "
                            + "runsweep.batch.target-duration"
                            + (plan.rangesTakeCountedRows()
                                    ? ", until they have taken as many rows as were counted before the first"
                                    : ""),
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
    /** @param archive the archive's batches, when it keeps one: they lock and copy the rows they find by index */
    private List<PolicyReport.PlannedStatement> finalCheck(
            Connection connection, PurgePlan plan, Optional<ArchivePlan> archive) throws SQLException {
        List<PolicyReport.PlannedStatement> statements = new ArrayList<>();
        statements.add(new PolicyReport.PlannedStatement(
                (archive.isEmpty() && plan.countsAtStart()
                                ? "after the batches, unless they took every row counted before the first, count"
                                : "after the batches, count")
                        + " the rows that still match (a row changed while they ran can escape them); any left go in"
                        + " more batches",
                plan.count().display(),
                database.dialect()
                        .explain(connection, plan.count(), BatchValues.NONE)
                        .summary()));
        if (plan.strategy() == PurgePlan.Strategy.RANGE) {
            Sql byIndex = archive.map(ArchivePlan::lockIndexed).orElse(plan.indexedDelete());
            statements.add(new PolicyReport.PlannedStatement(
                    "which find their rows by index, up to " + plan.policy().batchSize() + " at a time"
                            + (archive.isPresent() ? ", then lock, copy and delete them as above" : ""),
                    byIndex.display(),
                    explain(connection, byIndex, plan.policy().batchSize(), List.of())));
        }
        return statements;
    }

    /** A table's rows: counted, or with --estimate the planner's estimate where it is large (PostgreSQL). */
    private PolicyReport.TableRows rows(
            Connection connection, String table, Sql count, PolicyReport.Reach how, String via) throws SQLException {
        RowCount rows = estimate
                ? database.dialect().estimateCount(connection, count)
                : RowCount.counted(Queries.count(connection, count));
        return new PolicyReport.TableRows(table, rows.rows(), how, via, rows.estimated());
    }

    /** Real keys of matching rows, so the dependent delete is explained with the list it would really get. */
    private String explain(Connection connection, Sql statement, int limit, List<Object> keys) throws SQLException {
        return explain(connection, statement, new BatchValues(limit, keys));
    }

    private String explain(Connection connection, Sql statement, BatchValues values) throws SQLException {
        return database.dialect().explain(connection, statement, values).summary();
    }
}
