package io.runsweep.sql.sqlite;

import io.runsweep.sql.ArchiveColumn;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Column;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.TimeForm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SQLite: archive tables {@code <schema>__<table>} in the same file. A transaction that spans two attached files
 * is not atomic in WAL mode (which Prefect's database uses): a crash between the two files' commits could keep a
 * delete and lose its copies. In one file, the delete and its copies commit together or not at all. Each batch
 * takes the write lock at its start, so no other writer changes what it copies before it deletes it.
 */
public final class SqliteArchiveSql implements ArchiveSql {
    /** Prefect's own form of time: UTC, no offset, microseconds. */
    private static final DateTimeFormatter ARCHIVED_AT_TEXT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private static final String COLUMNS = "SELECT name, type FROM pragma_table_info(?) ORDER BY cid";
    private static final HexFormat HEX = HexFormat.of();

    @Override
    public TableName archiveTable(String schema, TableName table) {
        return TableName.of(schema + "__" + table.name());
    }

    @Override
    public List<String> createSchema(Connection connection, String schema) {
        return List.of();
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
            s.setString(1, table.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ArchiveColumn(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
    }

    /** Declared types only, no constraints: a copy need not satisfy what the live row had to. */
    @Override
    public String createTable(TableName archive, List<ArchiveColumn> columns) {
        String all = columns.stream()
                .map(c -> Identifiers.quote(c.name()) + (c.type().isBlank() ? "" : " " + c.type()))
                .collect(Collectors.joining(", "));
        return "CREATE TABLE " + archive.quoted() + " (" + all + ", " + Identifiers.quote(ARCHIVED_AT)
                + " TEXT NOT NULL, " + Identifiers.quote(POLICY) + " TEXT NOT NULL)";
    }

    @Override
    public String addColumn(TableName archive, ArchiveColumn column) {
        return "ALTER TABLE " + archive.quoted() + " ADD COLUMN " + Identifiers.quote(column.name())
                + (column.type().isBlank() ? "" : " " + column.type());
    }

    /** SQLite stores any value in any column; a type declared differently only changes its affinity. */
    @Override
    public boolean compatible(ArchiveColumn archived, ArchiveColumn source) {
        return archived.type().equalsIgnoreCase(source.type());
    }

    @Override
    public Sql lockBatch(Table table, Predicate where) {
        String name = table.name().quoted();
        String text = "SELECT * FROM " + name + " NOT INDEXED WHERE rowid IN (SELECT rowid FROM " + name + " WHERE "
                + where.text() + " LIMIT ?) AND " + where.text();
        List<SqlParam> params = new ArrayList<>(where.params());
        params.add(new SqlParam.BatchLimit());
        params.addAll(where.params());
        return Sql.of(text, params);
    }

    @Override
    public Sql lockRange(Table table, Predicate where) {
        String text = "SELECT * FROM " + table.name().quoted() + " NOT INDEXED WHERE rowid >= ? AND rowid < ? AND "
                + where.text();
        List<SqlParam> params =
                new ArrayList<>(List.of(new SqlParam.RangeBound(false, false), new SqlParam.RangeBound(true, false)));
        params.addAll(where.params());
        return Sql.of(text, params);
    }

    @Override
    public Sql lockByKeys(Table table, Column column) {
        return byKeys("SELECT * FROM " + table.name().quoted(), column, "");
    }

    @Override
    public Sql deleteReturning(Table table, Column column) {
        return byKeys("DELETE FROM " + table.name().quoted(), column, " RETURNING *");
    }

    @Override
    public Sql countPresent(Table table, Column column) {
        return byKeys("SELECT count(*) FROM " + table.name().quoted(), column, "");
    }

    private static Sql byKeys(String head, Column column, String tail) {
        return Sql.of(
                head + " WHERE " + SqliteDialect.inKeys(column.quoted()) + tail,
                List.of(new SqlParam.DeletedKeys(SqliteDialect.JSON_KEYS)));
    }

    /** Not INSERT OR IGNORE, which would also drop rows that break NOT NULL or CHECK, silently. */
    @Override
    public Sql deleteArchivedBefore(TableName archive, String policy, Instant before) {
        String name = archive.quoted();
        return Sql.of(
                "DELETE FROM " + name + " WHERE rowid IN (SELECT rowid FROM " + name + " WHERE "
                        + Identifiers.quote(POLICY) + " = ? AND " + Identifiers.quote(ARCHIVED_AT) + " < ? LIMIT ?)",
                List.of(ArchiveSql.text(policy), archivedAt(before), new SqlParam.BatchLimit()));
    }

    /** The stored value as it is: SQLite keeps each value's own type, whatever the column declares. */
    @Override
    public Object read(ResultSet rs, int index, Column column) throws SQLException {
        Object value = rs.getObject(index);
        return value instanceof Integer i ? Long.valueOf(i) : value;
    }

    /** Text of a BLOB column that reads {@code \x<hex>} is the blob an archive file wrote that way. */
    @Override
    public void bind(PreparedStatement statement, int index, Object value, Column column) throws SQLException {
        if (value instanceof Boolean b) {
            statement.setLong(index, b ? 1 : 0);
        } else if (value instanceof String s
                && s.startsWith("\\x")
                && column.typeName().toUpperCase(Locale.ROOT).contains("BLOB")) {
            statement.setBytes(index, HEX.parseHex(s.substring(2)));
        } else {
            statement.setObject(index, value);
        }
    }

    @Override
    public SqlParam archivedAt(Instant at) {
        String text = ARCHIVED_AT_TEXT.format(at);
        return new SqlParam.Value(text, Types.VARCHAR, "'" + text + "'");
    }

    @Override
    public Instant readArchivedAt(ResultSet rs, int index) throws SQLException {
        String at = rs.getString(index);
        return at == null ? null : TimeForm.read(at);
    }
}
