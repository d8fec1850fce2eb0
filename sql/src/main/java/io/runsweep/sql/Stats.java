package io.runsweep.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the checks and maintenance read from one kind of database: a table's numbers, the database file, the
 * oldest time among a policy's rows. Read-only statements, identifiers quoted, values bound.
 */
public interface Stats {

    /**
     * The table's bytes, rows and upkeep.
     *
     * @param countRows count every row, however large the table, rather than take an estimate where counting costs much
     */
    TableStats table(Connection connection, TableName table, boolean countRows) throws SQLException;

    /** The database file at {@code path} and its pages; empty for a server database. */
    Optional<FileStats> file(Connection connection, Path path) throws SQLException;

    /** The time as the column stores it, read from {@code rs} at {@code index}; empty for NULL. */
    Optional<Instant> time(ResultSet rs, int index, Column column) throws SQLException;

    /** Counts every row: exact, and it reads the whole table (or its smallest index). */
    default long exactRows(Connection connection, TableName table) throws SQLException {
        return Long.parseLong(Queries.single(connection, "SELECT count(*) FROM " + table.quoted()));
    }

    /**
     * The oldest time among the rows {@code where} matches: the earliest {@code time}, or where it is NULL,
     * {@code fallback}; empty when no row has one.
     */
    default Optional<Instant> oldest(
            Connection connection, Table table, Column time, Optional<Column> fallback, Predicate where)
            throws SQLException {
        String age = fallback.map(f -> "coalesce(" + time.quoted() + ", " + f.quoted() + ")")
                .orElse(time.quoted());
        List<String> minimums = minimums(time, age);
        Sql sql = Sql.of(
                "SELECT " + String.join(", ", minimums) + " FROM "
                        + table.name().quoted() + " WHERE " + where.text(),
                where.params());
        Optional<Instant> oldest = Optional.empty();
        try (PreparedStatement s = sql.prepare(connection, SqlParam.BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            for (int i = 1; i <= minimums.size(); i++) {
                Optional<Instant> min = time(rs, i, time);
                if (min.isPresent() && (oldest.isEmpty() || min.get().isBefore(oldest.get()))) {
                    oldest = min;
                }
            }
        }
        return oldest;
    }

    /**
     * What {@link #oldest} selects: {@code min(age)}, or one minimum per form of time where the column may hold
     * several, since values of different forms do not sort by time among each other.
     */
    default List<String> minimums(Column time, String age) {
        return List.of("min(" + age + ")");
    }
}
