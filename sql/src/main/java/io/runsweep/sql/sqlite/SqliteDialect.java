package io.runsweep.sql.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.runsweep.sql.BatchPacing;
import io.runsweep.sql.Column;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.IndexUse;
import io.runsweep.sql.JobLock;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.Queries;
import io.runsweep.sql.RowCount;
import io.runsweep.sql.ScanRange;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.TimeForms;
import io.runsweep.sql.Transactions;
import java.io.IOException;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SQLite: catalog from pragma functions, batches located by rowid, key lists as JSON arrays. */
public final class SqliteDialect implements Dialect {

    private static final String TABLE =
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE";

    private static final String COLUMNS = "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid";

    private static final String REFERENCING = """
      SELECT m.name, f.id, f."from", f."to", f.on_delete,
             (SELECT count(*) FROM pragma_foreign_key_list(m.name) g WHERE g.id = f.id) AS width
      FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
      WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE
      ORDER BY m.name, f.id""";

    private static final Pattern SEARCH_INDEX = Pattern.compile("SEARCH (\\S+) USING (?:COVERING )?INDEX (\\S+)");
    private static final Pattern SEARCH_KEY = Pattern.compile("SEARCH (\\S+) USING (INTEGER )?PRIMARY KEY");
    private static final Pattern SCAN = Pattern.compile("^SCAN (\\S+)");
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.SQLITE;
    }

    /** Runsweep opens one file; attached databases are not used. */
    @Override
    public String currentSchema(Connection connection) {
        return "main";
    }

    @Override
    public String version(Connection connection) throws SQLException {
        return "SQLite " + Queries.single(connection, "SELECT sqlite_version()");
    }

    @Override
    public Optional<Table> describe(Connection connection, TableName table) throws SQLException {
        String name;
        try (PreparedStatement s = connection.prepareStatement(TABLE)) {
            s.setString(1, table.name());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                name = rs.getString(1);
            }
        }
        List<Column> columns = new ArrayList<>();
        List<String> primaryKey = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    columns.add(new Column(rs.getString(1), type, category(type), rs.getInt(3) == 0));
                    if (rs.getInt(4) > 0) {
                        primaryKey.add(rs.getString(1));
                    }
                }
            }
        }
        return Optional.of(new Table(TableName.of(name), columns, primaryKey));
    }

    /** SQLite's type affinity rules, with the names that schedulers give time columns. */
    private static Column.Category category(String declared) {
        String type = declared.toUpperCase(Locale.ROOT);
        if (type.contains("INT")) {
            return Column.Category.INTEGER;
        }
        if (type.contains("DATE") || type.contains("TIME")) {
            return Column.Category.TIMESTAMP;
        }
        if (type.contains("CHAR") || type.contains("TEXT") || type.contains("CLOB")) {
            return Column.Category.TEXT;
        }
        return Column.Category.OTHER;
    }

    @Override
    public List<ForeignKey> referencing(Connection connection, Table table) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        String parentKey = table.primaryKey().size() == 1 ? table.primaryKey().get(0) : null;
        try (PreparedStatement s = connection.prepareStatement(REFERENCING)) {
            s.setString(1, table.name().name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String to = rs.getString(4) != null ? rs.getString(4) : parentKey;
                    if (rs.getInt(6) != 1 || to == null) {
                        continue;
                    }
                    String child = rs.getString(1);
                    keys.add(new ForeignKey(
                            "fk_" + child + "__" + rs.getString(3),
                            TableName.of(child),
                            rs.getString(3),
                            table.name(),
                            to,
                            onDelete(rs.getString(5))));
                }
            }
        }
        return keys;
    }

    private static ForeignKey.OnDelete onDelete(String action) {
        return switch (action.toUpperCase(Locale.ROOT)) {
            case "CASCADE" -> ForeignKey.OnDelete.CASCADE;
            case "SET NULL" -> ForeignKey.OnDelete.SET_NULL;
            case "SET DEFAULT" -> ForeignKey.OnDelete.SET_DEFAULT;
            case "RESTRICT" -> ForeignKey.OnDelete.RESTRICT;
            default -> ForeignKey.OnDelete.NO_ACTION;
        };
    }

    @Override
    public Predicate.Older older(Connection connection, Table table, Column column, Instant cutoff)
            throws SQLException {
        TimeForms forms = SqliteTimeForms.establish(connection, table, column);
        forms.requireComparable(table, column, SqliteTimeForms.HOW_TO_REWRITE);
        return SqliteTimeForms.older(forms, column, cutoff);
    }

    @Override
    public SqlParam value(Column column, Object value) {
        if (value instanceof Boolean b) {
            // SQLite has no boolean type; schedulers' ORMs store true and false as 1 and 0.
            return new SqlParam.Value(b ? 1L : 0L, Types.BIGINT, b.toString());
        }
        if (column.category() == Column.Category.INTEGER) {
            return new SqlParam.Value(column.integer(value), Types.BIGINT, String.valueOf(value));
        }
        return new SqlParam.Value(String.valueOf(value), Types.VARCHAR, "'" + value + "'");
    }

    @Override
    public Sql deleteBatch(Table table, Predicate where, Optional<Column> returning) {
        String name = table.name().quoted();
        List<SqlParam> params = new ArrayList<>(where.params());
        params.add(new SqlParam.BatchLimit());
        return deleteSelected(
                table, Sql.of("SELECT rowid FROM " + name + " WHERE " + where.text() + " LIMIT ?", params), returning);
    }

    @Override
    public Optional<Sql> deleteRange(
            Connection connection, Table table, Predicate where, Optional<Column> returning, boolean takesCountedRows) {
        // NOT INDEXED keeps SQLite's planner on the rowid range; left alone it may pick a status index instead.
        List<SqlParam> params =
                new ArrayList<>(List.of(new SqlParam.RangeBound(false, false), new SqlParam.RangeBound(true, false)));
        params.addAll(where.params());
        return Optional.of(deleteSelected(
                table,
                Sql.of(
                        "SELECT rowid FROM " + table.name().quoted()
                                + " NOT INDEXED WHERE rowid >= ? AND rowid < ? AND " + where.text(),
                        params),
                returning));
    }

    /**
     * Deletes by rowid the rows {@code select} finds, in two statements (see {@link SqlParam.SelectedKeys}): the
     * DELETE itself calls no function.
     */
    private static Sql deleteSelected(Table table, Sql select, Optional<Column> returning) {
        return Sql.of(
                "DELETE FROM " + table.name().quoted() + " WHERE " + inKeys("rowid")
                        + returning.map(c -> " RETURNING " + c.quoted()).orElse(""),
                List.of(new SqlParam.SelectedKeys(select, JSON_KEYS)));
    }

    /**
     * Every writer of the file waits for a whole batch. On the bench's Prefect log (200,000 rows, a writer every
     * 10 ms; thirty-fourth round) batches of 75/100/150/200/300 ms took 2.29x/2.36x/1.90x/2.13x/1.53x one DELETE
     * with the writer's longest wait 165/180/239/231/431 ms: 150 ms (three quarters of the default target) is the
     * fastest that keeps the 250 ms bound, and the only one of them faster than the Id IN loop there
     * (docs/performance.md, SQLite's frontier).
     */
    @Override
    public double batchTargetShare() {
        return 0.75;
    }

    @Override
    public BatchPacing batchPacing(boolean compressWal) {
        return new SqliteBatchPacing();
    }

    @Override
    public boolean rangeSweepPaysForLargeShares() {
        return false;
    }

    @Override
    public boolean batchesCanMissChangedRows() {
        return false;
    }

    @Override
    public ScanRange scanRange(Connection connection, Table table) throws SQLException {
        // Each in a subquery of its own: alone, count(*) counts the b-tree's cells without decoding a row and min or
        // max(rowid) reads one end of it; in one aggregate together they read every row (118 ms against 12 ms on
        // 900,000 Prefect event_resources).
        String t = table.name().quoted();
        try (PreparedStatement s = connection.prepareStatement("SELECT (SELECT count(*) FROM " + t + "),"
                        + " coalesce((SELECT min(rowid) FROM " + t + "), 0),"
                        + " coalesce((SELECT max(rowid) FROM " + t + "), -1)");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return new ScanRange(rs.getLong(1), rs.getLong(2), rs.getLong(3) + 1);
        }
    }

    @Override
    public RowCount estimateMatching(Connection connection, Table table, Predicate where) throws SQLException {
        return RowCount.counted(countMatching(connection, table, where));
    }

    @Override
    public RowCount estimateCount(Connection connection, Sql count) throws SQLException {
        return RowCount.counted(Queries.count(connection, count));
    }

    /** SQLite has no clock of its own: it reads the host's, as Prefect's server beside it does. */
    @Override
    public Instant clock(Connection connection) throws SQLException {
        return Instant.ofEpochMilli(Long.parseLong(
                Queries.single(connection, "SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)")));
    }

    /** SQLITE_BUSY and SQLITE_LOCKED, extended codes included: someone else holds the lock. */
    @Override
    public boolean isTransient(SQLException e) {
        if (e instanceof org.sqlite.SQLiteException sqlite) {
            int primary = sqlite.getResultCode().code & 0xff;
            return primary == 5 || primary == 6;
        }
        return false;
    }

    @Override
    public Sql deleteByKeys(Table table, Column column) {
        return Sql.of(
                "DELETE FROM " + table.name().quoted() + " WHERE " + inKeys(column.quoted()),
                List.of(new SqlParam.DeletedKeys(JSON_KEYS)));
    }

    /** Binds a list of keys as one JSON array, which {@link #inKeys} reads back one value per key. */
    static final SqlParam.KeyListBinder JSON_KEYS = (c, s, i, keys) -> s.setString(i, jsonArray(keys));

    /** The condition that {@code expression} is one of the keys bound to its one placeholder ({@link #JSON_KEYS}). */
    static String inKeys(String expression) {
        return expression + " IN (SELECT value FROM json_each(?))";
    }

    /** The keys as a JSON array, which json_each reads back one value per key. */
    static String jsonArray(List<Object> keys) throws SQLException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartArray();
            for (Object key : keys) {
                if (key instanceof Number) {
                    json.writeNumber(key.toString());
                } else {
                    json.writeString(String.valueOf(key));
                }
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new SQLException("could not write the batch's keys as JSON", e);
        }
        return text.toString();
    }

    @Override
    public long totalBytes(Connection connection, Table table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)")) {
            s.setString(1, table.name().name());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public <T> T readGivingWay(Connection connection, Duration lockTimeout, Transactions.Work<T> work)
            throws SQLException {
        return work.run();
    }

    /** The busy timeout set on every connection already bounds the wait for the write lock. */
    @Override
    public void limitLockWait(Connection connection, Duration lockTimeout) {}

    /** {@code sqlite3_interrupt}: the statement stops at its next step with SQLITE_INTERRUPT. */
    @Override
    public void cancelRunning(Connection connection) throws SQLException {
        connection.unwrap(org.sqlite.SQLiteConnection.class).getDatabase().interrupt();
    }

    /**
     * No lock: a SQLite file belongs to the one host (and the one server) that writes it, and runs one
     * daemon beside it. Two daemons on one file would still never write at once: each batch takes
     * SQLite's write lock.
     */
    @Override
    public Optional<JobLock> tryLock(Connection connection, String name) {
        return Optional.of(JobLock.NONE);
    }

    @Override
    public IndexUse explain(Connection connection, Sql statement, SqlParam.BatchValues batch) throws SQLException {
        List<String> plan = queryPlan(connection, statement, batch);
        return new IndexUse(accesses(plan), plan);
    }

    /** The statement's plan, followed by the plan of each statement that finds rows for it. */
    private static List<String> queryPlan(Connection connection, Sql statement, SqlParam.BatchValues batch)
            throws SQLException {
        List<String> plan = new ArrayList<>();
        try (PreparedStatement s = statement.wrap("EXPLAIN QUERY PLAN ", "").prepare(connection, batch);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                plan.add(rs.getString("detail"));
            }
        }
        for (SqlParam param : statement.params()) {
            if (param instanceof SqlParam.SelectedKeys selected) {
                plan.addAll(queryPlan(connection, selected.select(), batch));
            }
        }
        return plan;
    }

    private static List<IndexUse.Access> accesses(List<String> plan) {
        List<IndexUse.Access> accesses = new ArrayList<>();
        for (String line : plan) {
            Matcher m;
            if ((m = SEARCH_INDEX.matcher(line)).find()) {
                accesses.add(new IndexUse.Access(m.group(1), m.group(2)));
            } else if ((m = SEARCH_KEY.matcher(line)).find()) {
                accesses.add(new IndexUse.Access(m.group(1), m.group(2) != null ? "rowid" : "primary key"));
            } else if ((m = SCAN.matcher(line)).find()
                    && !line.contains("VIRTUAL TABLE")
                    && !line.contains("CONSTANT ROW")) {
                // "SCAN t USING INDEX i" still reads every entry: as good as reading the whole table.
                accesses.add(new IndexUse.Access(m.group(1), null));
            }
        }
        return accesses;
    }
}
