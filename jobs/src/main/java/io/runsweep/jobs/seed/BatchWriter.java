package io.runsweep.jobs.seed;

import io.runsweep.sql.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One batched statement. Values arrive as Java values (UUID, Long microseconds, String, Integer)
 * and are bound the way the dialect stores the column's kind.
 */
final class BatchWriter implements AutoCloseable {
    /**
     * How a column is bound. JSON, state types and intervals need a cast on PostgreSQL, none on
     * SQLite. An INTERVAL is stored on SQLite as SQLAlchemy's Interval stores it for Prefect: a
     * DATETIME, the epoch plus the duration ('1970-01-01 00:00:12.345678').
     */
    enum Kind {
        UUID,
        TIME,
        INTERVAL,
        TEXT,
        INT,
        JSON,
        JSONB,
        STATE;

        String placeholder(SchemaDialect dialect) {
            if (dialect == SchemaDialect.SQLITE) {
                return "?";
            }
            return switch (this) {
                case JSON -> "CAST(? AS json)";
                case JSONB -> "CAST(? AS jsonb)";
                case STATE -> "CAST(? AS state_type)";
                case INTERVAL -> "CAST(? AS interval)";
                default -> "?";
            };
        }
    }

    record Column(String name, Kind kind) {}

    private final String table;
    private final SchemaDialect dialect;
    private final Kind[] kinds;
    private final PreparedStatement statement;
    private final int autoFlushAt;
    private int pending;
    private long rows;

    private BatchWriter(
            Connection connection, SchemaDialect dialect, String table, String sql, Kind[] kinds, int autoFlushAt)
            throws SQLException {
        this.table = table;
        this.dialect = dialect;
        this.kinds = kinds;
        this.autoFlushAt = autoFlushAt;
        this.statement = connection.prepareStatement(sql);
    }

    /**
     * A plain multi-row-friendly INSERT (pgjdbc's reWriteBatchedInserts folds it into multi-row
     * VALUES). {@code autoFlushAt} > 0 executes the batch by itself at that size, which is safe only
     * for rows no batch of another table must precede; 0 leaves every flush to the caller.
     */
    static BatchWriter insert(
            Connection connection, SchemaDialect dialect, String table, int autoFlushAt, Column... columns)
            throws SQLException {
        String names = Arrays.stream(columns).map(c -> '"' + c.name() + '"').collect(Collectors.joining(", "));
        String values =
                Arrays.stream(columns).map(c -> c.kind().placeholder(dialect)).collect(Collectors.joining(", "));
        String sql = "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ")";
        return new BatchWriter(connection, dialect, table, sql, kinds(columns), autoFlushAt);
    }

    /** Any other batched statement, its parameters bound by {@code kinds}; flushed by the caller. */
    static BatchWriter statement(Connection connection, SchemaDialect dialect, String table, String sql, Kind... kinds)
            throws SQLException {
        return new BatchWriter(connection, dialect, table, sql, kinds, 0);
    }

    static Column col(String name, Kind kind) {
        return new Column(name, kind);
    }

    void add(Object... values) throws SQLException {
        if (values.length != kinds.length) {
            throw new IllegalArgumentException(
                    table + ": " + values.length + " values for " + kinds.length + " parameters");
        }
        for (int i = 0; i < values.length; i++) {
            bind(i + 1, kinds[i], values[i]);
        }
        statement.addBatch();
        pending++;
        rows++;
        if (autoFlushAt > 0 && pending >= autoFlushAt) {
            flush();
        }
    }

    void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        try {
            statement.executeBatch();
        } catch (SQLException e) {
            SQLException next = e.getNextException();
            SQLException cause = next != null ? next : e;
            throw new SQLException(
                    "seeding " + table + " failed in a batch of " + pending + " rows: " + cause.getMessage(),
                    cause.getSQLState(),
                    cause.getErrorCode(),
                    e);
        }
        pending = 0;
    }

    String table() {
        return table;
    }

    int pending() {
        return pending;
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }

    private void bind(int index, Kind kind, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, nullType(kind));
        } else if (kind == Kind.UUID) {
            bindUuid(index, (UUID) value);
        } else if (kind == Kind.TIME) {
            bindTime(index, (Long) value);
        } else if (kind == Kind.INTERVAL) {
            bindInterval(index, (Long) value);
        } else if (kind == Kind.INT) {
            statement.setInt(index, (Integer) value);
        } else {
            statement.setString(index, (String) value);
        }
    }

    private void bindUuid(int index, UUID value) throws SQLException {
        if (dialect == SchemaDialect.POSTGRESQL) {
            statement.setObject(index, value);
        } else {
            statement.setString(index, value.toString());
        }
    }

    private void bindTime(int index, long micros) throws SQLException {
        if (dialect == SchemaDialect.POSTGRESQL) {
            statement.setObject(index, Timestamps.postgres(micros));
        } else {
            statement.setString(index, Timestamps.sqlite(micros));
        }
    }

    private void bindInterval(int index, long micros) throws SQLException {
        if (dialect == SchemaDialect.POSTGRESQL) {
            statement.setString(index, micros + " microseconds");
        } else {
            statement.setString(index, Timestamps.sqlite(micros));
        }
    }

    private int nullType(Kind kind) {
        return switch (kind) {
            case UUID -> dialect == SchemaDialect.POSTGRESQL ? Types.OTHER : Types.VARCHAR;
            case TIME -> dialect == SchemaDialect.POSTGRESQL ? Types.TIMESTAMP_WITH_TIMEZONE : Types.VARCHAR;
            case INT -> Types.INTEGER;
            default -> Types.VARCHAR;
        };
    }

    private static Kind[] kinds(Column[] columns) {
        return Arrays.stream(columns).map(Column::kind).toArray(Kind[]::new);
    }
}
