package io.runsweep.sql.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;

/** Writes and reads test rows the way each database stores them (Prefect's text timestamps on SQLite). */
public final class TestRows {
    private static final DateTimeFormatter SQLITE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final Connection connection;
    private final boolean postgres;

    public TestRows(Connection connection) throws SQLException {
        this.connection = connection;
        this.postgres =
                connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
    }

    public boolean postgres() {
        return postgres;
    }

    /** Inserts one row; {@code values} in column order, Instants as the database stores time. */
    public TestRows insert(String table, Object... columnsAndValues) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner marks = new StringJoiner(", ");
        row.keySet().forEach(c -> {
            columns.add('"' + c + '"');
            marks.add("?");
        });
        String sql = "INSERT INTO \"" + table + "\" (" + columns + ") VALUES (" + marks + ")";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            int i = 1;
            for (Object value : row.values()) {
                bind(s, i++, value);
            }
            s.executeUpdate();
        }
        return this;
    }

    private void bind(PreparedStatement s, int index, Object value) throws SQLException {
        if (value instanceof Instant instant) {
            if (postgres) {
                s.setObject(index, instant.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                s.setString(index, SQLITE_TIME.format(instant));
            }
        } else if (value instanceof String text && postgres) {
            s.setObject(index, text, Types.OTHER);
        } else if (value == null) {
            s.setNull(index, postgres ? Types.OTHER : Types.NULL);
        } else {
            s.setObject(index, value);
        }
    }

    /** The ids in {@code table}, sorted. */
    public TreeSet<String> ids(String table) throws SQLException {
        TreeSet<String> ids = new TreeSet<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM \"" + table + "\"")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    public long count(String table) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of every listed table as text, in a stable order: equal snapshots mean nothing changed. */
    public List<String> snapshot(List<String> tables) throws SQLException {
        List<String> all = new ArrayList<>();
        for (String table : tables) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY id")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringJoiner row = new StringJoiner("|", table + ":", "");
                    for (int i = 1; i <= n; i++) {
                        row.add(String.valueOf(rs.getObject(i)));
                    }
                    all.add(row.toString());
                }
            }
        }
        return all;
    }

    /** A deterministic uuid whose text says which fixture row it is, e.g. {@code uuid(7)}. */
    public static String uuid(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }
}
