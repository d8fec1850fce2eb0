package io.runsweep.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** What each database says about a table's indexes, and the statement that would add one. */
public interface IndexCatalog {

    /** The table's valid indexes, by name. */
    List<IndexInfo> indexes(Connection connection, Table table) throws SQLException;

    /** The statement that adds an index named {@code index} on {@code column}. */
    String createIndex(TableName table, String column, String index);

    /** The statement that drops {@code index} of {@code table}. */
    String dropIndex(TableName table, String index);

    /**
     * For the rest of the current transaction, makes the planner take any usable index over reading the
     * whole table, so that an EXPLAIN answers "can an index serve this?" and not "is the table small?".
     */
    void preferIndexes(Connection connection) throws SQLException;

    /**
     * Whether, even after {@link #preferIndexes}, the planner may read a small table whole although an index would
     * serve it at scale: SQLite judges from the statistics of its optimize pragma and has no setting against it.
     */
    default boolean readsSmallTablesWhole() {
        return false;
    }

    /**
     * A name read from the catalog, quoted: doubled double quotes, so that even a name outside the pattern of
     * {@link Identifiers} reaches SQL as that one name.
     */
    static String quoteCatalogName(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
