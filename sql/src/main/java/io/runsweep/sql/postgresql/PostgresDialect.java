package io.runsweep.sql.postgresql;

import io.runsweep.sql.Column;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.IndexUse;
import io.runsweep.sql.JobLock;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.Queries;
import io.runsweep.sql.ScanRange;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL: catalog from pg_catalog, batches located by ctid, arrays for key lists. */
public final class PostgresDialect implements Dialect {

    private static final String TABLE = """
      SELECT c.oid, n.nspname, c.relname, n.nspname = current_schema() AS on_path
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass(?)""";

    private static final String COLUMNS = """
      SELECT a.attname, t.typname, t.typtype, NOT a.attnotnull
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum""";

    private static final String PRIMARY_KEY = """
      SELECT a.attname
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = ? AND i.indisprimary
      ORDER BY array_position(i.indkey::int2[], a.attnum)""";

    // Inherited copies of a key on partitions (conparentid <> 0) would count every cascade twice.
    private static final String REFERENCING = """
      SELECT con.conname, cn.nspname, cc.relname, cn.nspname = current_schema(),
             ca.attname, pa.attname, con.confdeltype
      FROM pg_constraint con
      JOIN pg_class cc ON cc.oid = con.conrelid
      JOIN pg_namespace cn ON cn.oid = cc.relnamespace
      JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = con.conkey[1]
      JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = con.confkey[1]
      WHERE con.contype = 'f' AND con.confrelid = to_regclass(?)
        AND cardinality(con.conkey) = 1 AND con.conparentid = 0
      ORDER BY cn.nspname, cc.relname, con.conname""";

    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private static final Pattern INDEX_SCAN =
            Pattern.compile("(?:Index Scan|Index Only Scan)(?: Backward)? using (\\S+) on (\\S+)");
    private static final Pattern BITMAP_HEAP = Pattern.compile("Bitmap Heap Scan on (\\S+)");
    private static final Pattern BITMAP_INDEX = Pattern.compile("Bitmap Index Scan on (\\S+)");
    private static final Pattern TID_SCAN = Pattern.compile("Tid (?:Range )?Scan on (\\S+)");
    private static final Pattern PLAN_ROWS = Pattern.compile("rows=(\\d+)");
    /** Serialization failure, deadlock, lock timeout, statement timeout, and the server going away. */
    private static final java.util.Set<String> TRANSIENT_STATES =
            java.util.Set.of("40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03");

    private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (\\S+)");

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    @Override
    public String version(Connection connection) throws SQLException {
        return "PostgreSQL " + Queries.single(connection, "SHOW server_version");
    }

    @Override
    public Optional<Table> describe(Connection connection, TableName table) throws SQLException {
        long oid;
        TableName real;
        try (PreparedStatement s = connection.prepareStatement(TABLE)) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                oid = rs.getLong(1);
                real = tableName(rs.getString(2), rs.getString(3), rs.getBoolean(4));
            }
        }
        return Optional.of(new Table(real, columns(connection, oid), primaryKey(connection, oid)));
    }

    private static TableName tableName(String schema, String name, boolean onPath) {
        return new TableName(onPath ? Optional.empty() : Optional.of(schema), name);
    }

    private static List<Column> columns(Connection connection, long oid) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    columns.add(new Column(rs.getString(1), type, category(type, rs.getString(3)), rs.getBoolean(4)));
                }
            }
        }
        return columns;
    }

    private static Column.Category category(String typeName, String typeType) {
        if ("e".equals(typeType)) {
            return Column.Category.ENUM;
        }
        return switch (typeName) {
            case "timestamptz" -> Column.Category.TIMESTAMP_TZ;
            case "timestamp" -> Column.Category.TIMESTAMP;
            case "date" -> Column.Category.DATE;
            case "int2", "int4", "int8" -> Column.Category.INTEGER;
            case "text", "varchar", "bpchar", "name" -> Column.Category.TEXT;
            case "uuid" -> Column.Category.UUID;
            default -> Column.Category.OTHER;
        };
    }

    private static List<String> primaryKey(Connection connection, long oid) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(PRIMARY_KEY)) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    @Override
    public List<ForeignKey> referencing(Connection connection, Table table) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(REFERENCING)) {
            s.setString(1, table.name().quoted());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ForeignKey(
                            rs.getString(1),
                            tableName(rs.getString(2), rs.getString(3), rs.getBoolean(4)),
                            rs.getString(5),
                            table.name(),
                            rs.getString(6),
                            onDelete(rs.getString(7))));
                }
            }
        }
        return keys;
    }

    private static ForeignKey.OnDelete onDelete(String code) {
        return switch (code) {
            case "c" -> ForeignKey.OnDelete.CASCADE;
            case "n" -> ForeignKey.OnDelete.SET_NULL;
            case "d" -> ForeignKey.OnDelete.SET_DEFAULT;
            case "r" -> ForeignKey.OnDelete.RESTRICT;
            default -> ForeignKey.OnDelete.NO_ACTION;
        };
    }

    @Override
    public SqlParam cutoff(Connection connection, Table table, Column column, Instant cutoff) {
        String shown = "'" + SHOWN.format(cutoff) + "'";
        return switch (column.category()) {
            case TIMESTAMP_TZ ->
                new SqlParam.Value(cutoff.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE, shown);
            // A timestamp without time zone is taken to hold UTC, as the schedulers we serve write it.
            case TIMESTAMP ->
                new SqlParam.Value(cutoff.atOffset(ZoneOffset.UTC).toLocalDateTime(), Types.TIMESTAMP, shown);
            case DATE -> new SqlParam.Value(cutoff.atOffset(ZoneOffset.UTC).toLocalDate(), Types.DATE, shown);
            default ->
                throw new IllegalArgumentException("column \"" + column.name() + "\" of \"" + table.name()
                        + "\" is of type " + column.typeName() + ", not a timestamp");
        };
    }

    @Override
    public SqlParam value(Column column, Object value) {
        if (value instanceof Boolean b) {
            return new SqlParam.Value(b, Types.BOOLEAN, b.toString());
        }
        return switch (column.category()) {
            case INTEGER -> new SqlParam.Value(column.integer(value), Types.BIGINT, String.valueOf(value));
            case TEXT -> new SqlParam.Value(String.valueOf(value), Types.VARCHAR, "'" + value + "'");
            // Types.OTHER leaves the type to the server, which reads the text as the column's own type.
            default -> new SqlParam.Value(String.valueOf(value), Types.OTHER, "'" + value + "'");
        };
    }

    @Override
    public Sql deleteBatch(Table table, Predicate where, Optional<Column> returning) {
        String name = table.name().quoted();
        // The predicate is repeated outside the subquery so that a row changed by the application between
        // the two is re-checked by the DELETE itself and kept if it no longer matches.
        String text = "DELETE FROM " + name + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + name + " WHERE "
                + where.text() + " LIMIT ?)) AND " + where.text()
                + returning.map(c -> " RETURNING " + c.quoted()).orElse("");
        List<SqlParam> params = new ArrayList<>(where.params());
        params.add(new SqlParam.BatchLimit());
        params.addAll(where.params());
        return Sql.of(text, params);
    }

    @Override
    public Optional<Sql> deleteRange(Connection connection, Table table, Predicate where, Optional<Column> returning)
            throws SQLException {
        if (serverVersionNum(connection) < 140000) {
            return Optional
                    .empty(); // TID range scans arrived in PostgreSQL 14; before, such a range reads the whole heap
        }
        String text = "DELETE FROM " + table.name().quoted() + " WHERE ctid >= CAST(? AS tid) AND ctid < CAST(? AS tid)"
                + " AND " + where.text()
                + returning.map(c -> " RETURNING " + c.quoted()).orElse("");
        List<SqlParam> params =
                new ArrayList<>(List.of(new SqlParam.RangeBound(false, true), new SqlParam.RangeBound(true, true)));
        params.addAll(where.params());
        return Optional.of(Sql.of(text, params));
    }

    private static int serverVersionNum(Connection connection) throws SQLException {
        return Integer.parseInt(Queries.single(connection, "SHOW server_version_num"));
    }

    @Override
    public double batchTargetShare() {
        return 1.0;
    }

    @Override
    public boolean rangeSweepPaysForLargeShares() {
        return true;
    }

    @Override
    public ScanRange scanRange(Connection connection, Table table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
        SELECT c.reltuples::bigint, pg_relation_size(c.oid) / current_setting('block_size')::bigint
        FROM pg_class c WHERE c.oid = to_regclass(?)""")) {
            s.setString(1, table.name().quoted());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long rows = rs.getLong(1);
                long blocks = rs.getLong(2);
                // reltuples is -1 until the table is first vacuumed or analyzed, and stale on small tables that
                // change fast; below EXACT_BELOW rows a real count costs little and is right.
                return new ScanRange(rows >= EXACT_BELOW ? rows : exactCount(connection, table), 0, blocks);
            }
        }
    }

    /** Below this many rows, counting is cheap enough to replace the planner's guesses. */
    private static final long EXACT_BELOW = 100_000;

    private static long exactCount(Connection connection, Table table) throws SQLException {
        return Long.parseLong(Queries.single(
                connection, "SELECT count(*) FROM " + table.name().quoted()));
    }

    @Override
    public long estimateMatching(Connection connection, Table table, Predicate where) throws SQLException {
        Sql select =
                Sql.of("EXPLAIN SELECT 1 FROM " + table.name().quoted() + " WHERE " + where.text(), where.params());
        try (PreparedStatement s = select.prepare(connection, SqlParam.BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            Matcher rows = PLAN_ROWS.matcher(rs.getString(1));
            long estimate = rows.find() ? Long.parseLong(rows.group(1)) : 0;
            return estimate >= EXACT_BELOW ? estimate : countMatching(connection, table, where);
        }
    }

    /** The planner's row estimate for the rows {@code count} would count: EXPLAIN of the same query selecting 1. */
    @Override
    public long estimateCount(Connection connection, Sql count) throws SQLException {
        if (!count.text().startsWith(COUNT_PREFIX)) {
            throw new IllegalArgumentException("not a count(*) query: " + count.text());
        }
        Sql select = Sql.of("EXPLAIN SELECT 1 " + count.text().substring(COUNT_PREFIX.length()), count.params());
        try (PreparedStatement s = select.prepare(connection, SqlParam.BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            Matcher rows = PLAN_ROWS.matcher(rs.getString(1));
            return rows.find() ? Long.parseLong(rows.group(1)) : 0;
        }
    }

    @Override
    public boolean estimatesCounts() {
        return true;
    }

    private static final String COUNT_PREFIX = "SELECT count(*) ";

    @Override
    public boolean isTransient(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return TRANSIENT_STATES.contains(state) || state.startsWith("08");
    }

    @Override
    public Sql deleteByKeys(Table table, Column column) {
        String arrayType = column.typeName();
        return Sql.of(
                "DELETE FROM " + table.name().quoted() + " WHERE " + column.quoted() + " = ANY (?)",
                List.of(new SqlParam.DeletedKeys(
                        (c, s, i, keys) -> s.setArray(i, c.createArrayOf(arrayType, keys.toArray())))));
    }

    @Override
    public long totalBytes(Connection connection, Table table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_total_relation_size(to_regclass(?))")) {
            s.setString(1, table.name().quoted());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void limitLockWait(Connection connection, Duration lockTimeout) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            s.setString(1, lockTimeout.toMillis() + "ms");
            s.execute();
        }
    }

    /**
     * A session-level advisory lock: it outlives transactions, and the server drops it if the session
     * dies, so a crashed daemon never leaves a job locked.
     */
    @Override
    public Optional<JobLock> tryLock(Connection connection, String name) throws SQLException {
        long key = lockKey(name);
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(() -> {
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                s.setLong(1, key);
                s.execute();
            }
        });
    }

    /**
     * The advisory lock key of a job: the first 8 bytes of SHA-256 of {@code "runsweep:" + name}. Every
     * daemon and every version computes the same key, and the prefix keeps it apart from the application's
     * own advisory locks.
     */
    static long lockKey(String name) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(("runsweep:" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public IndexUse explain(Connection connection, Sql statement, SqlParam.BatchValues batch) throws SQLException {
        List<String> plan = new ArrayList<>();
        try (PreparedStatement s = statement.wrap("EXPLAIN ", "").prepare(connection, batch);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                plan.add(rs.getString(1));
            }
        }
        return new IndexUse(accesses(plan), plan);
    }

    private static List<IndexUse.Access> accesses(List<String> plan) {
        List<IndexUse.Access> accesses = new ArrayList<>();
        String bitmapTable = "?";
        for (String line : plan) {
            Matcher m;
            if ((m = INDEX_SCAN.matcher(line)).find()) {
                accesses.add(new IndexUse.Access(m.group(2), m.group(1)));
            } else if ((m = BITMAP_HEAP.matcher(line)).find()) {
                bitmapTable = m.group(1);
            } else if ((m = BITMAP_INDEX.matcher(line)).find()) {
                accesses.add(new IndexUse.Access(bitmapTable, m.group(1)));
            } else if ((m = TID_SCAN.matcher(line)).find()) {
                accesses.add(new IndexUse.Access(m.group(1), line.contains("Range") ? "ctid range" : "ctid"));
            } else if ((m = SEQ_SCAN.matcher(line)).find()) {
                accesses.add(new IndexUse.Access(m.group(1), null));
            }
        }
        return accesses;
    }
}
