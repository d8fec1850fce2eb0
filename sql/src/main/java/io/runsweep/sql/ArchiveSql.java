package io.runsweep.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What archiving says to one kind of database: where the copies of a table's rows go, the statements that lock,
 * copy and delete one batch, and those that read the copies back. Every name is validated and quoted, every
 * value bound.
 */
public interface ArchiveSql {
    /** The column every archive table has besides the source's: when its row was archived. */
    String ARCHIVED_AT = "runsweep_archived_at";
    /** The column every archive table has besides the source's: the policy that archived its row. */
    String POLICY = "runsweep_policy";

    /** Where copies of {@code table}'s rows go in archive {@code schema}. */
    TableName archiveTable(String schema, TableName table);

    /** Statements that make {@code schema} exist, run before the first batch; empty when it exists or needs none. */
    List<String> createSchema(Connection connection, String schema) throws SQLException;

    /** The columns an archive table of {@code table} has, besides {@link #ARCHIVED_AT} and {@link #POLICY}. */
    List<ArchiveColumn> columns(Connection connection, Table table) throws SQLException;

    /** The columns the archive table {@code archive} has now; empty when it does not exist. */
    Optional<List<ArchiveColumn>> existing(Connection connection, TableName archive) throws SQLException;

    String createTable(TableName archive, List<ArchiveColumn> columns);

    /**
     * What the connected role lacks to archive, as the statements an owner would run to grant it: locking a batch
     * ({@code FOR UPDATE}) needs UPDATE on a column of each locked table, the explicit deletes of cascaded rows
     * need DELETE where the cascade needed none, and an archive schema needs to be made, used and written. Empty
     * when nothing is missing, or where the database has no privileges.
     *
     * @param locked each table a batch locks (the policy's and its cascades'), with the column to grant UPDATE on
     * @param returning each dependent, deleted returning its rows
     * @param schema the archive schema, if any, and the archive tables in it (made on first use when missing)
     */
    default List<String> missingGrants(
            Connection connection,
            Map<Table, Column> locked,
            List<Table> returning,
            Optional<String> schema,
            Collection<TableName> archiveTables)
            throws SQLException {
        return List.of();
    }

    String addColumn(TableName archive, ArchiveColumn column);

    /** Whether a copy kept as {@code archived} can hold values of a source column of type {@code source}. */
    boolean compatible(ArchiveColumn archived, ArchiveColumn source);

    /**
     * Every column of up to {@code <batch size>} rows matching {@code where}, locked until the batch ends, so the
     * copies are the rows the batch deletes.
     */
    Sql lockBatch(Table table, Predicate where);

    /** The same, for the rows of one range of the table's physical order. */
    Sql lockRange(Table table, Predicate where);

    /** Every column of the rows whose {@code column} holds one of a batch's keys, locked until the batch ends. */
    Sql lockByKeys(Table table, Column column);

    /** Deletes the rows whose {@code column} holds one of a batch's keys and returns every column of them. */
    Sql deleteReturning(Table table, Column column);

    /**
     * Inserts one copy into {@code archive}: the columns, then {@link #ARCHIVED_AT} and {@link #POLICY}. Its
     * placeholders are bound per row, with {@link #bind} and {@link #archivedAt}.
     */
    default String insertCopy(TableName archive, List<String> columns) {
        List<String> all = new ArrayList<>(columns);
        all.add(ARCHIVED_AT);
        all.add(POLICY);
        return insert(archive, all, "");
    }

    /** Deletes up to {@code <batch size>} copies {@code policy} archived before {@code before}: archive.keep. */
    Sql deleteArchivedBefore(TableName archive, String policy, Instant before);

    /** Counts the copies {@code policy} archived before {@code before}: what archive.keep would remove. */
    default Sql countArchivedBefore(TableName archive, String policy, Instant before) {
        return Sql.of(
                "SELECT count(*) FROM " + archive.quoted() + " WHERE " + Identifiers.quote(POLICY) + " = ? AND "
                        + Identifiers.quote(ARCHIVED_AT) + " < ?",
                List.of(text(policy), archivedAt(before)));
    }

    /** The copies {@code policy} archived in {@code [since, until)}, oldest first, with {@link #ARCHIVED_AT} last. */
    default Sql selectArchived(TableName archive, List<String> columns, String policy, Instant since, Instant until) {
        String at = Identifiers.quote(ARCHIVED_AT);
        return Sql.of(
                "SELECT " + columns.stream().map(Identifiers::quote).collect(Collectors.joining(", ")) + ", " + at
                        + " FROM " + archive.quoted() + " WHERE " + Identifiers.quote(POLICY) + " = ? AND " + at
                        + " >= ? AND " + at + " < ? ORDER BY " + at,
                List.of(text(policy), archivedAt(since), archivedAt(until)));
    }

    /** How many copies {@code policy} archived, the oldest and newest archive time, in one row. */
    default Sql summarizeArchived(TableName archive, String policy) {
        String at = Identifiers.quote(ARCHIVED_AT);
        return Sql.of(
                "SELECT count(*), min(" + at + "), max(" + at + ") FROM " + archive.quoted() + " WHERE "
                        + Identifiers.quote(POLICY) + " = ?",
                List.of(text(policy)));
    }

    /**
     * Inserts one row back into its table unless a row with the same key (any unique key) is there; placeholders
     * bound per row with {@link #bind}. Not SQLite's INSERT OR IGNORE, which would also drop rows that break NOT
     * NULL or CHECK, silently.
     */
    default String insertUnlessPresent(Table table, List<String> columns) {
        return insert(table.name(), columns, " ON CONFLICT DO NOTHING");
    }

    /**
     * Sets {@code columns} of the row with a given {@code key}, each only where it is NULL: a restored row's
     * references to rows restored after it. Placeholders: the columns' values, then the key.
     */
    default String setWhereNull(Table table, List<Column> columns, Column key) {
        return "UPDATE " + table.name().quoted() + " SET "
                + columns.stream()
                        .map(c -> c.quoted() + " = coalesce(" + c.quoted() + ", ?)")
                        .collect(Collectors.joining(", "))
                + " WHERE " + key.quoted() + " = ?";
    }

    private static String insert(TableName table, List<String> columns, String suffix) {
        return "INSERT INTO " + table.quoted() + " ("
                + columns.stream().map(Identifiers::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")" + suffix;
    }

    /** A text value, bound. */
    static SqlParam text(String value) {
        return new SqlParam.Value(value, Types.VARCHAR, "'" + value + "'");
    }

    /** How many of a batch's keys {@code table} holds in {@code column}: rows a restore would skip. */
    Sql countPresent(Table table, Column column);

    /** Reads {@link #ARCHIVED_AT} from a result column. */
    Instant readArchivedAt(ResultSet rs, int index) throws SQLException;

    /** Reads column {@code index} as archives keep it: Long, Double, Boolean, String or byte[]; null for NULL. */
    Object read(ResultSet rs, int index, Column column) throws SQLException;

    /** Binds a value read by {@link #read}, or read back from an archive file, into a column of {@code column}'s type. */
    void bind(PreparedStatement statement, int index, Object value, Column column) throws SQLException;

    /** The archive time, bound as {@link #ARCHIVED_AT} stores it. */
    SqlParam archivedAt(Instant at);
}
