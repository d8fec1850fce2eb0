package io.runsweep.sql.postgresql;

import io.runsweep.sql.ArchiveColumn;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Column;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PostgreSQL: archive tables in a schema of their own, batches locked {@code FOR UPDATE} so that what is copied is
 * what is deleted, values copied in their text form, which the server reads back as the column's own type.
 */
public final class PostgresArchiveSql implements ArchiveSql {
    // format_type gives the declared type with its modifiers (character varying(200), numeric(10,2)); a type the
    // application defined (an enum, a domain) is kept as text, so the archive never blocks a change to that type.
    private static final String COLUMNS = """
      SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typnamespace = 'pg_catalog'::regnamespace
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum""";

    private static final Set<String> INTEGERS = Set.of("int2", "int4", "int8");
    private static final Set<String> FLOATS = Set.of("float4", "float8");
    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    @Override
    public TableName archiveTable(String schema, TableName table) {
        return new TableName(Optional.of(schema), table.name());
    }

    @Override
    public List<String> createSchema(Connection connection, String schema) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? List.of() : List.of("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
            }
        }
    }

    @Override
    public List<ArchiveColumn> columns(Connection connection, Table table) throws SQLException {
        return read(connection, table.name()).orElseThrow();
    }

    @Override
    public Optional<List<ArchiveColumn>> existing(Connection connection, TableName archive) throws SQLException {
        return read(connection, archive);
    }

    private static Optional<List<ArchiveColumn>> read(Connection connection, TableName table) throws SQLException {
        List<ArchiveColumn> columns = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ArchiveColumn(rs.getString(1), rs.getBoolean(3) ? rs.getString(2) : "text"));
                }
            }
        }
        return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
    }

    @Override
    public String createTable(TableName archive, List<ArchiveColumn> columns) {
        String all = columns.stream()
                .map(c -> Identifiers.quote(c.name()) + " " + c.type())
                .collect(Collectors.joining(", "));
        return "CREATE TABLE " + archive.quoted() + " (" + all + ", " + Identifiers.quote(ARCHIVED_AT)
                + " timestamptz NOT NULL, " + Identifiers.quote(POLICY) + " text NOT NULL)";
    }

    @Override
    public String addColumn(TableName archive, ArchiveColumn column) {
        return "ALTER TABLE " + archive.quoted() + " ADD COLUMN " + Identifiers.quote(column.name()) + " "
                + column.type();
    }

    @Override
    public boolean compatible(ArchiveColumn archived, ArchiveColumn source) {
        return archived.type().equals(source.type()) || archived.type().equals("text");
    }

    @Override
    public List<String> missingGrants(
            Connection connection,
            Map<Table, Column> locked,
            List<Table> returning,
            Optional<String> schema,
            Collection<TableName> archiveTables)
            throws SQLException {
        return PostgresArchiveGrants.missing(connection, locked, returning, schema, archiveTables);
    }

    @Override
    public Sql lockBatch(Table table, Predicate where) {
        String name = table.name().quoted();
        String text = "SELECT * FROM " + name + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + name + " WHERE "
                + where.text() + " LIMIT ?)) AND " + where.text() + " FOR UPDATE";
        List<SqlParam> params = new ArrayList<>(where.params());
        params.add(new SqlParam.BatchLimit());
        params.addAll(where.params());
        return Sql.of(text, params);
    }

    @Override
    public Sql lockRange(Table table, Predicate where) {
        String text = "SELECT * FROM " + table.name().quoted() + " WHERE ctid >= CAST(? AS tid) AND ctid < CAST(? AS"
                + " tid) AND " + where.text() + " FOR UPDATE";
        List<SqlParam> params =
                new ArrayList<>(List.of(new SqlParam.RangeBound(false, true), new SqlParam.RangeBound(true, true)));
        params.addAll(where.params());
        return Sql.of(text, params);
    }

    @Override
    public Sql lockByKeys(Table table, Column column) {
        return Sql.of(
                "SELECT * FROM " + table.name().quoted() + " WHERE " + column.quoted() + " = ANY (?) FOR UPDATE",
                List.of(keys(column)));
    }

    @Override
    public Sql deleteReturning(Table table, Column column) {
        return Sql.of(
                "DELETE FROM " + table.name().quoted() + " WHERE " + column.quoted() + " = ANY (?) RETURNING *",
                List.of(keys(column)));
    }

    @Override
    public Sql countPresent(Table table, Column column) {
        return Sql.of(
                "SELECT count(*) FROM " + table.name().quoted() + " WHERE " + column.quoted() + " = ANY (?)",
                List.of(keys(column)));
    }

    /** The keys as an array of the column's own type, read from their text. */
    private static SqlParam keys(Column column) {
        String type = column.typeName();
        return new SqlParam.DeletedKeys((c, s, i, keys) -> s.setArray(
                i, c.createArrayOf(type, keys.stream().map(String::valueOf).toArray())));
    }

    @Override
    public Sql deleteArchivedBefore(TableName archive, String policy, Instant before) {
        String name = archive.quoted();
        return Sql.of(
                "DELETE FROM " + name + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + name + " WHERE "
                        + Identifiers.quote(POLICY) + " = ? AND " + Identifiers.quote(ARCHIVED_AT) + " < ? LIMIT ?))",
                List.of(ArchiveSql.text(policy), archivedAt(before), new SqlParam.BatchLimit()));
    }

    @Override
    public Object read(ResultSet rs, int index, Column column) throws SQLException {
        Object value;
        if (INTEGERS.contains(column.typeName())) {
            value = rs.getLong(index);
        } else if (FLOATS.contains(column.typeName())) {
            value = rs.getDouble(index);
        } else if (column.typeName().equals("bool")) {
            value = rs.getBoolean(index);
        } else {
            value = rs.getString(index);
        }
        return rs.wasNull() ? null : value;
    }

    /** Every value as text of unspecified type: the server reads it as the column's own type, whatever that is. */
    @Override
    public void bind(PreparedStatement statement, int index, Object value, Column column) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.OTHER);
        } else {
            statement.setObject(index, String.valueOf(value), Types.OTHER);
        }
    }

    @Override
    public SqlParam archivedAt(Instant at) {
        return new SqlParam.Value(
                at.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE, "'" + SHOWN.format(at) + "'");
    }

    @Override
    public Instant readArchivedAt(ResultSet rs, int index) throws SQLException {
        Timestamp at = rs.getTimestamp(index);
        return at == null ? null : at.toInstant();
    }
}
