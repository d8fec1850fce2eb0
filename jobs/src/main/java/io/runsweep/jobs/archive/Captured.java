package io.runsweep.jobs.archive;

import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Column;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rows of one table as a batch read them, every column, in the forms archives keep: Long, Double, Boolean,
 * String or byte[], null for NULL.
 */
record Captured(Table table, List<Column> columns, List<Object[]> rows) {

    /** Runs {@code statement} (a locking SELECT, or a DELETE ... RETURNING) and keeps every row it yields. */
    static Captured run(Connection connection, ArchiveSql sql, Sql statement, BatchValues values, Table table)
            throws SQLException {
        try (PreparedStatement s = statement.prepare(connection, values);
                ResultSet rs = s.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Column> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String name = meta.getColumnName(i);
                columns.add(table.column(name)
                        .orElseThrow(() -> new SQLException("\"" + table.name() + "\" has a column \"" + name
                                + "\" the plan did not see; the table changed while the run was under way")));
            }
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = sql.read(rs, i + 1, columns.get(i));
                }
                rows.add(row);
            }
            return new Captured(table, columns, rows);
        }
    }

    static Captured none(Table table) {
        return new Captured(table, table.columns(), List.of());
    }

    int size() {
        return rows.size();
    }

    /** The distinct values {@code column} holds, NULL left out: the keys the next level is found by. */
    List<Object> values(Column column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new IllegalStateException("no column " + column.name() + " in " + table.name());
        }
        Set<Object> values = new LinkedHashSet<>();
        for (Object[] row : rows) {
            if (row[index] != null) {
                values.add(row[index]);
            }
        }
        return new ArrayList<>(values);
    }

    List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
