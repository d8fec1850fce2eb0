package io.runsweep.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything Runsweep says to one kind of database. Every statement that touches a user's table is
 * built here, from catalog facts and validated identifiers, with every value a bound parameter.
 */
public interface Dialect {

    DatabaseKind kind();

    /**
     * The schema an unqualified table name is found in: PostgreSQL's {@code current_schema()}, SQLite's
     * {@code main}. With a table's name it tells tables of one name in two schemas apart (the {@code schema}
     * label of the metrics).
     */
    String currentSchema(Connection connection) throws SQLException;

    /** The server's version as it reports it, for messages and capability checks. */
    String version(Connection connection) throws SQLException;

    Optional<Table> describe(Connection connection, TableName table) throws SQLException;

    /** Single-column foreign keys whose parent is {@code table}. */
    List<ForeignKey> referencing(Connection connection, Table table) throws SQLException;

    /**
     * The cutoff as the column stores time, for a statement of one's own that compares {@code column < ?}: a
     * benchmark's one DELETE. Only for a column that holds one form of time (a timestamp type, or SQLite text
     * in one form); a policy's condition is {@link #older}.
     *
     * @throws IllegalArgumentException when the column holds times in more than one form, or in one that
     *     cannot be compared
     */
    default SqlParam cutoff(Connection connection, Table table, Column column, Instant cutoff) throws SQLException {
        Predicate.Older older = older(connection, table, column, cutoff);
        if (older.params().size() != 1) {
            throw new IllegalArgumentException("\"" + table.name() + "\".\"" + column.name()
                    + "\" holds times in more than one form, which no single cutoff compares with: "
                    + older.condition());
        }
        return older.params().get(0);
    }

    /**
     * The condition that {@code column} holds a time before {@code cutoff}, taken to the whole second before
     * it. Where the column's type does not fix how it stores time (any SQLite column; a text or integer column
     * on PostgreSQL), every row is read first for the forms present ({@link TimeForm}), and each form is
     * compared with the cutoff written in that form, and only with the values of that form.
     *
     * @throws IllegalArgumentException when the column holds a form that cannot be compared, naming the forms
     *     and their rows
     */
    Predicate.Older older(Connection connection, Table table, Column column, Instant cutoff) throws SQLException;

    /** A status value bound so that it compares with the column's own type (an enum, an integer, text). */
    SqlParam value(Column column, Object value);

    /**
     * Deletes up to {@code <batch size>} rows matching {@code where}; with {@code returning}, the statement
     * yields the deleted rows' values of that column so that dependents can go in the same transaction.
     */
    Sql deleteBatch(Table table, Predicate where, Optional<Column> returning);

    /**
     * Batches that take rows in order of {@code time} (see {@link KeysetBatch}), when {@code where} compares that
     * column with the cutoff, so that no matching row has no time, and its index reads them in order. Empty when
     * this database gains nothing from them or cannot serve them.
     *
     * @param takesCountedRows as for {@link #deleteRange}: the delete takes only the row versions the count before
     *     the first batch saw
     */
    default Optional<KeysetBatch> keysetBatch(
            Connection connection,
            Table table,
            Predicate where,
            Column time,
            Optional<Column> returning,
            boolean takesCountedRows)
            throws SQLException {
        return Optional.empty();
    }

    /**
     * Deletes the rows matching {@code where} within one range of the table's physical order: heap blocks
     * on PostgreSQL (a TID range scan), rowids on SQLite. Empty when this server cannot scan such ranges.
     *
     * @param takesCountedRows where {@link #countAtStart} is present: only the row versions the count before the first
     *     batch saw, so that the batches' rows tell whether any escaped them; {@code where} must then read only the
     *     row's own columns
     */
    Optional<Sql> deleteRange(
            Connection connection, Table table, Predicate where, Optional<Column> returning, boolean takesCountedRows)
            throws SQLException;

    /**
     * Where a changed row can escape the batches ({@link #batchesCanMissChangedRows}): the count before the first
     * batch that lets a range sweep, or batches in time order, tell from the rows they took whether any did ({@link
     * RowsAtStart}). Empty where a range sweep takes every matching row.
     */
    default Optional<Sql> countAtStart(Table table, Predicate where) {
        return Optional.empty();
    }

    /**
     * The transaction id a range batch that takes only counted rows would be given by a run starting now, for a dry
     * run to explain that batch with: it counts nothing, and an unbound id would let the planner drop the scan.
     */
    default String startXidNow(Connection connection) throws SQLException {
        throw new UnsupportedOperationException("no count at the start of a range sweep on this database");
    }

    /** Runs {@code countAtStart}, a statement {@link #countAtStart} planned. */
    default RowsAtStart countRowsAtStart(Connection connection, Sql countAtStart) throws SQLException {
        throw new UnsupportedOperationException("no count at the start of a range sweep on this database");
    }

    /**
     * Begins on {@code connection} a transaction whose every statement reads one snapshot, takes that snapshot, and
     * returns its xmin ({@link RowsAtStart#xmin}). {@code countAtStart} run later in it counts the rows that matched
     * when it began, however much has changed since, so it can run beside the batches. The caller ends the
     * transaction and gives the connection back as it came (auto-commit on).
     */
    default long beginCountSnapshot(Connection connection) throws SQLException {
        throw new UnsupportedOperationException("no count at the start of a range sweep on this database");
    }

    /**
     * Whether every transaction that began since {@code xmin}, a count's snapshot's, is still told apart from those
     * before it by a range batch: false after so many (hundreds of millions) that the proof by count no longer holds.
     */
    default boolean startedWithin(Connection connection, long xmin) throws SQLException {
        return false;
    }

    /**
     * Whether sweeping ranges beats index batches once a large share of the table goes. PostgreSQL: yes,
     * each index batch walks past the dead rows earlier batches left until VACUUM. SQLite frees a row's
     * space at once, so index batches stay cheap and a range sweep only pays where no index helps.
     */
    boolean rangeSweepPaysForLargeShares();

    /**
     * The share of {@code runsweep.batch.target-duration} a batch aims at. PostgreSQL: all of it, since a
     * batch locks only its own rows. SQLite: half, since every writer of the file waits for the whole batch,
     * and a batch's cost per row grows as it touches more distinct index pages, so sizing from the last batch
     * overshoots; the margin keeps the server's writes from waiting much past the target.
     */
    double batchTargetShare();

    /**
     * Whether a row that matched when a sweep began can escape its batches by being changed while it runs, so
     * that a run must count what is left before it reports success. PostgreSQL: yes. An UPDATE writes a new row
     * version, possibly in a block a range sweep has passed (the policy's own cascades do this when an ON DELETE
     * SET NULL key rewrites rows of its table, as Prefect's subflows are), and an index batch rechecks a row changed
     * under it and skips it, ending the run as if nothing were left. SQLite: no. A row keeps its rowid when
     * updated, and one writer at a time means a batch sees every matching row.
     */
    boolean batchesCanMissChangedRows();

    /**
     * What a purge does around its batches on this database, so that the application keeps working.
     *
     * @param compressWal PostgreSQL: the batches write their WAL's full-page images compressed with lz4 where the
     *     server writes them whole and lets the role say so (runsweep.batch.compress-wal); SQLite has no such WAL
     */
    BatchPacing batchPacing(boolean compressWal);

    /** The table's rows and the extent of its physical order, for choosing and sizing batches. */
    ScanRange scanRange(Connection connection, Table table) throws SQLException;

    /** How many rows match {@code where}, counted. */
    default long countMatching(Connection connection, Table table, Predicate where) throws SQLException {
        try (java.sql.PreparedStatement s = count(table, where).prepare(connection, SqlParam.BatchValues.NONE);
                java.sql.ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * How many rows match {@code where}: the planner's estimate on PostgreSQL (counted when it estimates few), an
     * exact count on SQLite; which one it is, is said.
     */
    RowCount estimateMatching(Connection connection, Table table, Predicate where) throws SQLException;

    /**
     * How many rows match {@code where}, counted up to {@code most}: reads no more of them than that, however many
     * match.
     */
    default long countMatchingUpTo(Connection connection, Table table, Predicate where, long most) throws SQLException {
        List<SqlParam> params = new ArrayList<>(where.params());
        params.add(new SqlParam.Value(most, Types.BIGINT, Long.toString(most)));
        return Queries.count(connection, new Sql(countUpTo(table.name(), " WHERE " + where.text()), params));
    }

    /**
     * Rows of the table inserted, updated or deleted since its statistics were last gathered, which {@link
     * #estimateMatching} may not reflect. 0 where the count it gives is exact (SQLite).
     */
    default long changedSinceStatistics(Connection connection, Table table) throws SQLException {
        return 0;
    }

    /**
     * How many rows a {@code SELECT count(*) ...} statement would count: the planner's estimate on PostgreSQL
     * (counted exactly when it estimates few), counted on SQLite.
     */
    RowCount estimateCount(Connection connection, Sql count) throws SQLException;

    /**
     * The values a status column accepts, when the database knows them (the labels of a PostgreSQL enum); empty
     * when any value of the column's type is accepted.
     */
    default List<String> acceptedValues(Connection connection, Table table, Column column) throws SQLException {
        return List.of();
    }

    /**
     * Whether {@code referring} can hold the values of {@code key} and be compared with them, as a dependent's or an
     * unreferenced-by column must: same kind of value, and for types the dialect does not group, the same type.
     */
    default boolean comparable(Column key, Column referring) {
        return key.category() == referring.category()
                && (key.category() != Column.Category.OTHER || key.typeName().equalsIgnoreCase(referring.typeName()));
    }

    /**
     * Which of {@code privileges} ({@code SELECT}, {@code DELETE}) the connection's role lacks on {@code table}, so
     * that a run can say so before its first delete; empty where the database has no privileges (SQLite).
     */
    default List<String> missingPrivileges(Connection connection, TableName table, List<String> privileges)
            throws SQLException {
        return List.of();
    }

    /** The role the connection acts as, for messages about privileges; empty where there are no roles. */
    default Optional<String> role(Connection connection) throws SQLException {
        return Optional.empty();
    }

    /** The database's own clock, which a cutoff must not be later than. */
    Instant clock(Connection connection) throws SQLException;

    /** Failures worth retrying: lock and busy timeouts, deadlocks, serialization failures, lost connections. */
    boolean isTransient(SQLException e);

    /** The error says the session is gone (the network, or the server ending it); a retry needs a new one. */
    default boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /**
     * The session behind {@code connection} is gone: the error says so, or the pool has already closed the
     * connection (HikariCP then answers "Connection is closed", without a SQL state). A retry needs a new one.
     */
    default boolean sessionLost(Connection connection, SQLException e) {
        if (isConnectionLost(e)) {
            return true;
        }
        try {
            return connection == null || connection.isClosed();
        } catch (SQLException closed) {
            return true;
        }
    }

    /**
     * Who holds locks on {@code tables} that a statement of Runsweep may have waited for, in words, for the
     * message of a lock timeout: {@code "run" is locked by pid 4242 (user app, ...)}. Empty when nobody does,
     * or the database cannot tell.
     */
    default Optional<String> lockHolders(Connection connection, List<TableName> tables) throws SQLException {
        return Optional.empty();
    }

    /** Deletes the rows of {@code table} whose {@code column} holds one of a batch's deleted keys. */
    Sql deleteByKeys(Table table, Column column);

    /** {@code SELECT key FROM table WHERE where}, used as a subquery when counting what would cascade. */
    default Sql selectKeys(Table table, Column key, Predicate where) {
        return Sql.of(
                "SELECT " + key.quoted() + " FROM " + table.name().quoted() + " WHERE " + where.text(), where.params());
    }

    /** Up to {@code <batch size>} keys of matching rows: sample keys for explaining a dependent delete. */
    default Sql sampleKeys(Table table, Column key, Predicate where) {
        return selectKeys(table, key, where).wrap("", " LIMIT ?").withExtra(new SqlParam.BatchLimit());
    }

    default Sql count(Table table, Predicate where) {
        return Sql.of("SELECT count(*) FROM " + table.name().quoted() + " WHERE " + where.text(), where.params());
    }

    /** Counts rows of {@code child} whose {@code column} is among the keys {@code parentKeys} selects. */
    default Sql countIn(TableName child, String column, Sql parentKeys) {
        return Sql.of(
                "SELECT count(*) FROM " + child.quoted() + " WHERE " + Identifiers.quote(column) + " IN ("
                        + parentKeys.text() + ")",
                parentKeys.params());
    }

    /** Selects {@code child.key} for rows whose {@code column} is among {@code parentKeys}: the next cascade level. */
    default Sql selectIn(TableName child, String key, String column, Sql parentKeys) {
        return Sql.of(
                "SELECT " + Identifiers.quote(key) + " FROM " + child.quoted() + " WHERE " + Identifiers.quote(column)
                        + " IN (" + parentKeys.text() + ")",
                parentKeys.params());
    }

    /**
     * Counts the rows of {@code child} whose {@code column} is among {@code parentKeys} that no predicate of
     * {@code due} matches, among those within at least one of {@code scopes} (each a list of columns that must
     * be NULL; an empty one holds every row): the rows a cascade would take that other policies keep.
     */
    default Sql countKept(
            TableName child, String column, Sql parentKeys, List<List<Column>> scopes, List<Predicate> due) {
        StringBuilder text =
                new StringBuilder(countIn(child, column, parentKeys).text());
        List<SqlParam> params = new ArrayList<>(parentKeys.params());
        if (scopes.stream().noneMatch(List::isEmpty)) {
            text.append(scopes.stream()
                    .map(scope ->
                            scope.stream().map(c -> c.quoted() + " IS NULL").collect(Collectors.joining(" AND ")))
                    .collect(Collectors.joining(") OR (", " AND ((", "))")));
        }
        for (Predicate predicate : due) {
            text.append(" AND (").append(predicate.text()).append(") IS NOT TRUE");
            params.addAll(predicate.params());
        }
        return Sql.of(text.toString(), params);
    }

    /** Counts 1 when some row of {@code table} does not match {@code where}, else 0: whether a run would empty it. */
    default Sql anyRowLeft(Table table, Predicate where) {
        return Sql.of(
                "SELECT count(*) FROM (SELECT 1 FROM " + table.name().quoted() + " WHERE (" + where.text()
                        + ") IS NOT TRUE LIMIT 1) AS left_behind",
                where.params());
    }

    /**
     * Counts 1 when one of the rows at the end of {@code child}'s storage, where a table written in time order keeps
     * its newest rows, is not among the children of {@code parentKeys}: a cheap proof that a run reaching the table
     * through {@code column} leaves it a row. 0 proves nothing. Empty where the dialect has no cheap way to read a
     * table's end.
     */
    default Optional<Sql> reachedLeavesEnd(TableName child, String column, Sql parentKeys) {
        return Optional.empty();
    }

    /** Counts the rows of {@code table}, up to {@code <batch size>} of them: whether it holds more than so many. */
    default Sql countUpTo(TableName table) {
        return Sql.of(countUpTo(table, ""), List.of(new SqlParam.BatchLimit()));
    }

    /** A count of {@code table}'s rows that meet {@code where} (empty, or " WHERE ..."), up to a bound limit. */
    private static String countUpTo(TableName table, String where) {
        return "SELECT count(*) FROM (SELECT 1 FROM " + table.quoted() + where + " LIMIT ?) AS up_to";
    }

    /**
     * Whether {@link #newest} is worth reading before a run: always where the column's storage leaves its unit
     * open (a newest value before 2000 is then a unit mistake the run must refuse); for a PostgreSQL timestamp or
     * date column, only when an index gives it, since without one it reads the whole table.
     */
    default boolean readsNewest(Connection connection, Table table, Column time) throws SQLException {
        return true;
    }

    /**
     * How many rows match {@code where} after a sweep of the table's physical ranges, for the final check that
     * none escaped it ({@link #batchesCanMissChangedRows}). By default the same count as {@link #countMatching}.
     */
    default long countLeftAfterSweep(Connection connection, Table table, Predicate where) throws SQLException {
        return countMatching(connection, table, where);
    }

    /** The newest value of a time column, read back with {@link Stats#time}. */
    default Sql newest(Table table, Column time) {
        return Sql.of("SELECT max(" + time.quoted() + ") FROM " + table.name().quoted(), List.of());
    }

    /** Bytes the table takes with its indexes (and TOAST on PostgreSQL). */
    long totalBytes(Connection connection, Table table) throws SQLException;

    /**
     * Runs read-only {@code work} so that a statement gives up rather than queue behind the application's locks:
     * PostgreSQL, in a transaction under {@code lockTimeout}, rolled back; SQLite, outside a transaction, where a
     * reader never waits for the write lock (a transaction here would take it at BEGIN).
     */
    <T> T readGivingWay(Connection connection, Duration lockTimeout, Transactions.Work<T> work) throws SQLException;

    /** Makes the current transaction give up rather than queue behind the application's locks. */
    void limitLockWait(Connection connection, Duration lockTimeout) throws SQLException;

    /**
     * Cancels the statement running on {@code connection}, from another thread: it fails with the database's own
     * cancellation error, and the session stays open. Nothing happens when none runs. A stopped dry run calls it so
     * that a count it no longer wants does not run on in the server after Runsweep has exited.
     */
    void cancelRunning(Connection connection) throws SQLException;

    /** Asks the planner, without running anything, how {@code statement} would reach its rows. */
    IndexUse explain(Connection connection, Sql statement, SqlParam.BatchValues batch) throws SQLException;

    /**
     * Takes the lock of job {@code name} for the session of {@code connection}, without waiting: empty when
     * another session (another daemon) holds it. Keeps two daemons on one database from running a job at once.
     */
    Optional<JobLock> tryLock(Connection connection, String name) throws SQLException;
}
