package io.runsweep.sql.sqlite;

import io.runsweep.sql.Identifiers;
import io.runsweep.sql.IndexCatalog;
import io.runsweep.sql.IndexInfo;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SQLite indexes from pragma_index_list and pragma_index_xinfo; SQLite keeps no count of their use. */
public final class SqliteIndexes implements IndexCatalog {

    private static final String INDEXES = """
      SELECT l.name, l."unique", l.origin, m.sql
      FROM pragma_index_list(?) l LEFT JOIN sqlite_schema m ON m.type = 'index' AND m.name = l.name
      ORDER BY l.name""";

    // key = 1: the index's own columns, not the rowid SQLite appends to every entry.
    private static final String COLUMNS = """
      SELECT name, "desc", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno""";

    private static final Pattern WHERE = Pattern.compile("(?is)\\)\\s*WHERE\\s+(.*)$");

    @Override
    public List<IndexInfo> indexes(Connection connection, Table table) throws SQLException {
        List<IndexInfo> indexes = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(INDEXES)) {
            s.setString(1, table.name().name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    indexes.add(index(
                            connection,
                            rs.getString(1),
                            rs.getBoolean(2),
                            "pk".equals(rs.getString(3)),
                            rs.getString(4)));
                }
            }
        }
        return indexes;
    }

    /** @param sql the CREATE INDEX statement; null for the indexes behind UNIQUE and PRIMARY KEY constraints */
    private static IndexInfo index(Connection connection, String name, boolean unique, boolean primary, String sql)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        StringJoiner signature = new StringJoiner(", ", "(", ")");
        boolean expressions = false;
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1);
                    expressions |= column == null;
                    columns.add(column == null ? "(expression)" : column);
                    signature.add((column == null ? "(expression)" : column.toLowerCase(Locale.ROOT))
                            + (rs.getBoolean(2) ? " desc" : "") + " collate "
                            + rs.getString(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        // Expressions and WHERE clauses are known only from the statement's text.
        String text = sql == null ? "" : normalized(sql);
        Matcher where = WHERE.matcher(text);
        String full = signature
                + (where.find() ? " where " + where.group(1) : "")
                + (expressions ? " from " + text.substring(text.indexOf('(')) : "");
        return new IndexInfo(name, columns, unique, primary, full, OptionalLong.empty(), 0);
    }

    /** Lower case, no quotes, single spaces: two spellings of one definition compare equal. */
    private static String normalized(String sql) {
        return sql.toLowerCase(Locale.ROOT)
                .replaceAll("[\"`\\[\\]]", "")
                .replaceAll("\\s+", " ")
                .replaceAll(" ?([(),]) ?", "$1")
                .trim();
    }

    @Override
    public String createIndex(TableName table, String column, String index) {
        return "CREATE INDEX " + Identifiers.quote(index) + " ON " + table.quoted() + " (" + Identifiers.quote(column)
                + ");";
    }

    @Override
    public String dropIndex(TableName table, String index) {
        return "DROP INDEX " + IndexCatalog.quoteCatalogName(index) + ";";
    }

    /** SQLite has nothing like enable_seqscan: its planner weighs indexes against the table's statistics alone. */
    @Override
    public void preferIndexes(Connection connection) {}

    @Override
    public boolean readsSmallTablesWhole() {
        return true;
    }
}
