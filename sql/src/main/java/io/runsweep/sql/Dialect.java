package io.runsweep.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything Runsweep says to one kind of database. Every statement that touches a user's table is
 * built here, from catalog facts and validated identifiers, with every value a bound parameter.
 */
public interface Dialect {

    DatabaseKind kind();

    /** The server's version as it reports it, for messages and capability checks. */
    String version(Connection connection) throws SQLException;

    Optional<Table> describe(Connection connection, TableName table) throws SQLException;

    /** Single-column foreign keys whose parent is {@code table}. */
    List<ForeignKey> referencing(Connection connection, Table table) throws SQLException;

    /** The cutoff as the column stores time, so that {@code column < ?} compares right. */
    SqlParam cutoff(Connection connection, Table table, Column column, Instant cutoff) throws SQLException;

    /** A status value bound so that it compares with the column's own type (an enum, an integer, text). */
    SqlParam value(Column column, Object value);

    /**
     * Deletes up to {@code <batch size>} rows matching {@code where}; with {@code returning}, the statement
     * yields the deleted rows' values of that column so that dependents can go in the same transaction.
     */
    Sql deleteBatch(Table table, Predicate where, Optional<Column> returning);

    /**
     * Deletes the rows matching {@code where} within one range of the table's physical order: heap blocks
     * on PostgreSQL (a TID range scan), rowids on SQLite. Empty when this server cannot scan such ranges.
     */
    Optional<Sql> deleteRange(Connection connection, Table table, Predicate where, Optional<Column> returning)
            throws SQLException;

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

    /** What a purge does between its batches on this database, so that the application keeps working. */
    default BatchPacing batchPacing() {
        return BatchPacing.NONE;
    }

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
     * The rows {@code count} (a {@code SELECT count(*) FROM ...} built by {@link #count} or {@link #countIn}) would
     * count, as the database estimates them without counting: PostgreSQL's planner; SQLite keeps no such
     * estimates, so there it counts.
     */
    default long estimateCount(Connection connection, Sql count) throws SQLException {
        try (java.sql.PreparedStatement s = count.prepare(connection, SqlParam.BatchValues.NONE);
                java.sql.ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether {@link #estimateCount} estimates rather than counts. */
    default boolean estimatesCounts() {
        return false;
    }

    /** How many rows match {@code where}: the planner's estimate on PostgreSQL, an exact count on SQLite. */
    long estimateMatching(Connection connection, Table table, Predicate where) throws SQLException;

    /** Failures worth retrying: lock and busy timeouts, deadlocks, serialization failures, lost connections. */
    boolean isTransient(SQLException e);

    /** The connection is gone; a retry needs a new one. */
    default boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
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

    /** Bytes the table takes with its indexes (and TOAST on PostgreSQL). */
    long totalBytes(Connection connection, Table table) throws SQLException;

    /** Makes the current transaction give up rather than queue behind the application's locks. */
    void limitLockWait(Connection connection, Duration lockTimeout) throws SQLException;

    /** Asks the planner, without running anything, how {@code statement} would reach its rows. */
    IndexUse explain(Connection connection, Sql statement, SqlParam.BatchValues batch) throws SQLException;

    /**
     * Takes the lock of job {@code name} for the session of {@code connection}, without waiting: empty when
     * another session (another daemon) holds it. Keeps two daemons on one database from running a job at once.
     */
    Optional<JobLock> tryLock(Connection connection, String name) throws SQLException;
}
