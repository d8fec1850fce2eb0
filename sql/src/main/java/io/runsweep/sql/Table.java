package io.runsweep.sql;

import java.util.List;
import java.util.Optional;

/** What the catalog knows of one table: its real name, columns and primary key. */
public record Table(TableName name, List<Column> columns, List<String> primaryKey) {

    public Table {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream()
                .filter(c -> c.name().equals(columnName))
                .findFirst()
                .or(() -> columns.stream()
                        .filter(c -> c.name().equalsIgnoreCase(columnName))
                        .findFirst());
    }
}
