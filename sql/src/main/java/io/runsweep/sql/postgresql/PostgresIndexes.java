package io.runsweep.sql.postgresql;

import io.runsweep.sql.Identifiers;
import io.runsweep.sql.IndexCatalog;
import io.runsweep.sql.IndexInfo;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/** PostgreSQL indexes from pg_index, with their use from pg_stat_user_indexes. */
public final class PostgresIndexes implements IndexCatalog {

    // The signature leaves out the name and uniqueness: a plain index with the same keys as a unique one
    // answers nothing the unique one does not.
    private static final String INDEXES = """
      SELECT i.relname, x.indisunique, x.indisprimary,
             ARRAY(SELECT coalesce(a.attname, '(expression)')
                   FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                   LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                   WHERE k.n <= x.indnkeyatts ORDER BY k.n),
             concat_ws(' ', am.amname, 'keys=' || x.indkey::text, 'key-count=' || x.indnkeyatts,
                       'classes=' || x.indclass::text, 'collations=' || x.indcollation::text,
                       'options=' || x.indoption::text, 'expressions=' || pg_get_expr(x.indexprs, x.indrelid),
                       'where=' || pg_get_expr(x.indpred, x.indrelid)),
             s.idx_scan, pg_relation_size(x.indexrelid)
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_am am ON am.oid = i.relam
      LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
      WHERE x.indrelid = to_regclass(?) AND x.indisvalid
      ORDER BY i.relname""";

    @Override
    public List<IndexInfo> indexes(Connection connection, Table table) throws SQLException {
        List<IndexInfo> indexes = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(INDEXES)) {
            s.setString(1, table.name().quoted());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long scans = rs.getLong(6);
                    OptionalLong counted = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(scans);
                    indexes.add(new IndexInfo(
                            rs.getString(1),
                            strings(rs.getArray(4)),
                            rs.getBoolean(2),
                            rs.getBoolean(3),
                            rs.getString(5),
                            counted,
                            rs.getLong(7)));
                }
            }
        }
        return indexes;
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    /** CONCURRENTLY, so that the scheduler keeps writing to the table while the index builds. */
    @Override
    public String createIndex(TableName table, String column, String index) {
        return "CREATE INDEX CONCURRENTLY " + Identifiers.quote(index) + " ON " + table.quoted() + " ("
                + Identifiers.quote(column) + ");";
    }

    /** An index lives in its table's schema. */
    @Override
    public String dropIndex(TableName table, String index) {
        return "DROP INDEX CONCURRENTLY "
                + table.schema().map(s -> Identifiers.quote(s) + ".").orElse("") + IndexCatalog.quoteCatalogName(index)
                + ";";
    }

    @Override
    public void preferIndexes(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT set_config('enable_seqscan', 'off', true)")) {
            s.execute();
        }
    }
}
