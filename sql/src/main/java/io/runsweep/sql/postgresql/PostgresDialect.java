package io.runsweep.sql.postgresql;

import io.runsweep.sql.BatchPacing;
import io.runsweep.sql.Column;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.IndexUse;
import io.runsweep.sql.JobLock;
import io.runsweep.sql.KeysetBatch;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.Queries;
import io.runsweep.sql.RowCount;
import io.runsweep.sql.RowsAtStart;
import io.runsweep.sql.ScanRange;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.Transactions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
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

    private static final Pattern INDEX_SCAN =
            Pattern.compile("(?:Index Scan|Index Only Scan)(?: Backward)? using (\\S+) on (\\S+)");
    private static final Pattern BITMAP_HEAP = Pattern.compile("Bitmap Heap Scan on (\\S+)");
    private static final Pattern BITMAP_INDEX = Pattern.compile("Bitmap Index Scan on (\\S+)");
    private static final Pattern TID_SCAN = Pattern.compile("Tid (?:Range )?Scan on (\\S+)");
    private static final Pattern PLAN_ROWS = Pattern.compile("rows=(\\d+)");
    /** Serialization failure, deadlock, lock timeout, statement timeout, and the server going away. */
    private static final java.util.Set<String> TRANSIENT_STATES =
            java.util.Set.of("40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03");

    private static final String COUNT = "SELECT count(*)";

    private static final String ENUM_LABELS = """
      SELECT e.enumlabel
      FROM pg_attribute a JOIN pg_enum e ON e.enumtypid = a.atttypid
      WHERE a.attrelid = to_regclass(?) AND a.attname = ?
      ORDER BY e.enumsortorder""";

    /** insufficient_privilege: EXPLAIN of a DELETE needs the DELETE privilege, which a read-only role lacks. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** The session ended: the server shut down (fast or immediate), crashed, or is still starting. */
    private static final java.util.Set<String> SESSION_ENDED_STATES = java.util.Set.of("57P01", "57P02", "57P03");

    private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (\\S+)");

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    @Override
    public String currentSchema(Connection connection) throws SQLException {
        return Queries.single(connection, "SELECT current_schema()");
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
    public Predicate.Older older(Connection connection, Table table, Column column, Instant cutoff)
            throws SQLException {
        return PostgresTimeForms.older(connection, table, column, cutoff);
    }

    @Override
    public SqlParam value(Column column, Object value) {
        if (value instanceof Boolean b) {
            if (!column.typeName().equals("bool")) {
                throw new IllegalArgumentException("column \"" + column.name() + "\" is of type " + column.typeName()
                        + ", but the status value " + b + " is a boolean");
            }
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

    private static final String ISO_MICROS = "YYYY-MM-DD\"T\"HH24:MI:SS.US";

    @Override
    public Optional<KeysetBatch> keysetBatch(
            Connection connection,
            Table table,
            Predicate where,
            Column time,
            Optional<Column> returning,
            boolean takesCountedRows)
            throws SQLException {
        String column = time.quoted();
        // The bounds travel as ISO 8601 text in UTC, whatever the session's TimeZone, so that a bound printed on one
        // connection reads back the same on the next (a batch retried on a new session).
        String bound = "\"bound\"";
        String printed;
        String read;
        switch (time.category()) {
            case TIMESTAMP_TZ -> {
                printed = "to_char(" + bound + " AT TIME ZONE 'UTC', '" + ISO_MICROS + "')";
                read = "(CAST(? AS timestamp) AT TIME ZONE 'UTC')";
            }
            case TIMESTAMP -> {
                printed = "to_char(" + bound + ", '" + ISO_MICROS + "')";
                read = "CAST(? AS timestamp)";
            }
            default -> {
                // A date holds a whole day of rows at one value: batches would end mostly on ties.
                return Optional.empty();
            }
        }
        String name = table.name().quoted();
        String from = " AND " + column + " >= " + read;
        List<SqlParam> endParams = new ArrayList<>(where.params());
        endParams.add(new SqlParam.TimeBound(false));
        endParams.add(new SqlParam.BatchLimit());
        // Printed outside the subquery: the server computes the select list of every row OFFSET skips, and to_char
        // on each of 64,000 rows made the statement six times slower (34 ms against 5.4 ms).
        Sql end = Sql.of(
                "SELECT " + printed + " FROM (SELECT " + column + " AS " + bound + " FROM " + name + " WHERE "
                        + where.text() + from + " ORDER BY " + column + " OFFSET ? LIMIT 1) AS \"next\"",
                endParams);
        List<SqlParam> deleteParams = new ArrayList<>(where.params());
        deleteParams.add(new SqlParam.TimeBound(false));
        deleteParams.add(new SqlParam.TimeBound(true));
        if (takesCountedRows) {
            deleteParams.add(new SqlParam.StartXid());
        }
        Sql delete = Sql.of(
                "DELETE FROM " + name + " WHERE " + where.text() + from + " AND " + column + " < " + read
                        + (takesCountedRows ? " AND " + WRITTEN_BEFORE_START : "")
                        + returning.map(c -> " RETURNING " + c.quoted()).orElse(""),
                deleteParams);
        IndexUse plan = explainAsIs(connection, end, SqlParam.BatchValues.fromTime("-infinity", 1000));
        boolean inOrder = plan.fullScans().isEmpty()
                && !plan.indexes().isEmpty()
                && plan.plan().stream().noneMatch(line -> line.contains("Sort"));
        return inOrder ? Optional.of(new KeysetBatch(end, delete, "-infinity", "infinity")) : Optional.empty();
    }

    @Override
    public Optional<Sql> deleteRange(
            Connection connection, Table table, Predicate where, Optional<Column> returning, boolean takesCountedRows)
            throws SQLException {
        if (serverVersionNum(connection) < 140000) {
            return Optional
                    .empty(); // TID range scans arrived in PostgreSQL 14; before, such a range reads the whole heap
        }
        String text = "DELETE FROM " + table.name().quoted() + " WHERE ctid >= CAST(? AS tid) AND ctid < CAST(? AS tid)"
                + " AND " + where.text()
                + (takesCountedRows ? " AND " + WRITTEN_BEFORE_START : "")
                + returning.map(c -> " RETURNING " + c.quoted()).orElse("");
        List<SqlParam> params =
                new ArrayList<>(List.of(new SqlParam.RangeBound(false, true), new SqlParam.RangeBound(true, true)));
        params.addAll(where.params());
        if (takesCountedRows) {
            params.add(new SqlParam.StartXid());
        }
        return Optional.of(Sql.of(text, params));
    }

    /** How many transactions a range sweep may see begin before its proof by count no longer holds. */
    static final long VERSIONS_SINCE_START = 1L << 28;

    /**
     * A row version written before the transaction bound to its placeholder, the xmin of the snapshot that counted
     * the rows at the run's start ({@link RowsAtStart}). xids are 32-bit and wrap around: a version written since is
     * less than {@link #VERSIONS_SINCE_START} transactions after it, which the run confirms at its end ({@link
     * #startedWithin}); anything else was written before it. age() measures both from the same transaction, so
     * their difference is the distance from the start's xmin to the version's. A version frozen so long ago that
     * its xid has come round again may fall inside that window: then the batches leave it, and the count after them
     * finds it, as it finds any version they leave.
     */
    private static final String WRITTEN_BEFORE_START =
            "(age(CAST(? AS xid))::bigint - age(xmin)::bigint + 4294967296) % 4294967296 >= " + VERSIONS_SINCE_START;

    @Override
    public Optional<Sql> countAtStart(Table table, Predicate where) {
        return Optional.of(Sql.of(
                "SELECT count(*), pg_snapshot_xmin(pg_current_snapshot())::text FROM "
                        + table.name().quoted() + " WHERE " + where.text(),
                where.params()));
    }

    @Override
    public String startXidNow(Connection connection) throws SQLException {
        return RowsAtStart.xid(
                Long.parseLong(Queries.single(connection, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text")));
    }

    @Override
    public RowsAtStart countRowsAtStart(Connection connection, Sql countAtStart) throws SQLException {
        return Transactions.rollBack(connection, () -> {
            readAlone(connection);
            try (PreparedStatement s = countAtStart.prepare(connection, SqlParam.BatchValues.NONE)) {
                return RowsAtStart.read(s);
            }
        });
    }

    /**
     * REPEATABLE READ: the transaction's first query takes the snapshot that every later one reads, the count among
     * them, and pg_current_snapshot() returns it. Set for this transaction only: a session setting would outlive it,
     * and behind a pooler in transaction mode reach the application's own transactions.
     */
    @Override
    public long beginCountSnapshot(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement s = connection.prepareStatement("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")) {
            s.execute();
        }
        readAlone(connection);
        return Long.parseLong(Queries.single(connection, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text"));
    }

    @Override
    public boolean startedWithin(Connection connection, long xmin) throws SQLException {
        long next = Long.parseLong(Queries.single(connection, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text"));
        return next - xmin < VERSIONS_SINCE_START;
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
    public boolean batchesCanMissChangedRows() {
        return true;
    }

    @Override
    public BatchPacing batchPacing(boolean compressWal) {
        return new PostgresBatchPacing(compressWal);
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
    static final long EXACT_BELOW = 100_000;

    private static long exactCount(Connection connection, Table table) throws SQLException {
        return Long.parseLong(Queries.single(
                connection, "SELECT count(*) FROM " + table.name().quoted()));
    }

    @Override
    public RowCount estimateMatching(Connection connection, Table table, Predicate where) throws SQLException {
        long estimate = plannedRows(
                connection,
                Sql.of("EXPLAIN SELECT 1 FROM " + table.name().quoted() + " WHERE " + where.text(), where.params()));
        return estimate >= COUNT_MATCHING_BELOW
                ? new RowCount(estimate, true)
                : RowCount.counted(countMatching(connection, table, where));
    }

    @Override
    public long changedSinceStatistics(Connection connection, Table table) throws SQLException {
        String name = table.name().quoted();
        return Queries.count(
                connection,
                Sql.of(
                        "SELECT coalesce((SELECT n_mod_since_analyze FROM pg_stat_all_tables"
                                + " WHERE relid = to_regclass(?)), 0)",
                        List.of(new SqlParam.Value(name, Types.VARCHAR, "'" + name + "'"))));
    }

    /** The rows the planner expects at the top of {@code explain}'s plan. */
    private static long plannedRows(Connection connection, Sql explain) throws SQLException {
        try (PreparedStatement s = explain.prepare(connection, SqlParam.BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            Matcher rows = PLAN_ROWS.matcher(rs.getString(1));
            return rows.find() ? Long.parseLong(rows.group(1)) : 0;
        }
    }

    /**
     * Below this many estimated matching rows a planned run counts them. Above, the estimate serves what the number
     * decides (the strategy, a max-fraction, the progress shown): counting 67,000 rows of a day's retention cost
     * about 100 ms on a 5,000,000-row table, more than the rest of the planning together.
     */
    static final long COUNT_MATCHING_BELOW = 10_000;

    @Override
    public RowCount estimateCount(Connection connection, Sql count) throws SQLException {
        if (!count.text().startsWith(COUNT)) {
            return RowCount.counted(Queries.count(connection, count));
        }
        long estimate = plannedRows(
                connection, Sql.of("EXPLAIN SELECT 1" + count.text().substring(COUNT.length()), count.params()));
        return estimate >= EXACT_BELOW
                ? new RowCount(estimate, true)
                : RowCount.counted(Queries.count(connection, count));
    }

    /**
     * Reads up to {@link #END_ROWS} rows of the last {@link #END_BLOCKS} blocks (a TID range scan from a start the
     * statement works out itself) and looks each one's key up among the parents'. Where the reached table is
     * read in full to find it emptied, this finds the newest rows, which a run by age leaves, in a few blocks.
     */
    @Override
    public Optional<Sql> reachedLeavesEnd(TableName child, String column, Sql parentKeys) {
        List<SqlParam> params = new ArrayList<>();
        params.add(new SqlParam.Value(child.quoted(), Types.VARCHAR, "'" + child.quoted() + "'"));
        params.addAll(parentKeys.params());
        return Optional.of(Sql.of(
                "SELECT count(*) FROM (SELECT 1 FROM (SELECT " + Identifiers.quote(column) + " AS reached FROM "
                        + child.quoted() + " WHERE ctid >= (SELECT format('(%s,0)', greatest(pg_relation_size("
                        + "to_regclass(?)) / current_setting('block_size')::bigint - " + END_BLOCKS + ", 0))::tid)"
                        + " LIMIT " + END_ROWS + ") AS table_end WHERE NOT EXISTS (SELECT 1 FROM ("
                        + parentKeys.text() + ") AS parent_keys(parent_key)"
                        + " WHERE parent_keys.parent_key = table_end.reached) LIMIT 1) AS left_behind",
                params));
    }

    /** How far from a table's end {@link #reachedLeavesEnd} looks: a few blocks, a few hundred index lookups. */
    static final int END_BLOCKS = 8;

    static final int END_ROWS = 1_000;

    @Override
    public List<String> acceptedValues(Connection connection, Table table, Column column) throws SQLException {
        List<String> labels = new ArrayList<>();
        if (column.category() != Column.Category.ENUM) {
            return labels;
        }
        try (PreparedStatement s = connection.prepareStatement(ENUM_LABELS)) {
            s.setString(1, table.name().quoted());
            s.setString(2, column.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    labels.add(rs.getString(1));
                }
            }
        }
        return labels;
    }

    @Override
    public boolean comparable(Column key, Column referring) {
        return Dialect.super.comparable(key, referring)
                || (key.category() == Column.Category.ENUM && key.typeName().equals(referring.typeName()));
    }

    @Override
    public List<String> missingPrivileges(Connection connection, TableName table, List<String> privileges)
            throws SQLException {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT has_table_privilege(to_regclass(?), ?)")) {
            for (String privilege : privileges) {
                s.setString(1, table.quoted());
                s.setString(2, privilege);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && !rs.getBoolean(1) && !rs.wasNull()) {
                        missing.add(privilege);
                    }
                }
            }
        }
        return missing;
    }

    @Override
    public Optional<String> role(Connection connection) throws SQLException {
        return Optional.of(Queries.single(connection, "SELECT current_user"));
    }

    @Override
    public Instant clock(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT now()");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    @Override
    public boolean isTransient(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return TRANSIENT_STATES.contains(state) || state.startsWith("08");
    }

    /** 08: the connection failed; 57P01-57P03: the server shut down, crashed or is starting, ending the session. */
    @Override
    public boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || SESSION_ENDED_STATES.contains(state));
    }

    /**
     * Other sessions' locks on the tables that block Runsweep: relation locks that conflict with a DELETE's
     * or a read's (Share and stronger), and sessions idle in a transaction that changed rows of the table
     * (they hold row locks a DELETE would wait for). Oldest first, at most five.
     */
    @Override
    public Optional<String> lockHolders(Connection connection, List<TableName> tables) throws SQLException {
        List<String> holders = new ArrayList<>();
        for (RelationLockHolders.Holder h :
                RelationLockHolders.of(connection, tables, false, RelationLockHolders.BLOCKING_DELETE, true, 5)) {
            holders.add("\"" + h.relation() + "\" is locked by pid " + h.pid() + " (" + h.who() + ", " + h.activity()
                    + ", " + h.mode() + "; its statement: " + h.statement(200) + ")");
        }
        return holders.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", holders));
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

    /**
     * A timestamp or date column's values are times whatever they hold, so a newest value is only read when an
     * index gives it: without one, {@code max()} read the whole table (440 ms of a 530 ms run on the bench's
     * 1,000,000-row steady state).
     */
    @Override
    public boolean readsNewest(Connection connection, Table table, Column time) throws SQLException {
        if (!time.category().isTime()) {
            return true;
        }
        try (PreparedStatement s = connection.prepareStatement(
                        "EXPLAIN " + newest(table, time).text());
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                // max() through an index reads one entry from its end under a Limit; an index that only holds the
                // column behind another one is read whole.
                if (rs.getString(1).contains("Limit")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Read in the table's physical order. Right after a sweep the time column's index still holds an entry for
     * every row the sweep deleted, and a count through it visits each of their heap tuples at random: 1.3 s of
     * a 300,000-row interleaved heap, against one sequential pass over the table.
     */
    @Override
    public long countLeftAfterSweep(Connection connection, Table table, Predicate where) throws SQLException {
        return Transactions.rollBack(connection, () -> {
            readWholeTablesAlone(connection);
            return countMatching(connection, table, where);
        });
    }

    /**
     * For the rest of the transaction: a table is read in its physical order (through an index the count would visit
     * the heap tuple of every row the sweep deleted, at random), by this session alone. Parallel workers would take
     * the scheduler's server's cores for a read that gives way to it; on 2 cores they made the count slower too
     * (1.08 to 1.35 s against 0.61 to 0.90 s at 1,000,000 rows).
     */
    static void readWholeTablesAlone(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT set_config('enable_indexscan', 'off', true), set_config('enable_indexonlyscan', 'off', true),"
                        + " set_config('enable_bitmapscan', 'off', true)")) {
            s.execute();
        }
        readAlone(connection);
    }

    /** For the rest of the transaction: this session reads alone, with no parallel workers (see above). */
    private static void readAlone(Connection connection) throws SQLException {
        try (PreparedStatement s =
                connection.prepareStatement("SELECT set_config('max_parallel_workers_per_gather', '0', true)")) {
            s.execute();
        }
    }

    @Override
    public <T> T readGivingWay(Connection connection, Duration lockTimeout, Transactions.Work<T> work)
            throws SQLException {
        return Transactions.rollBack(connection, () -> {
            limitLockWait(connection, lockTimeout);
            return work.run();
        });
    }

    @Override
    public void limitLockWait(Connection connection, Duration lockTimeout) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            s.setString(1, lockTimeout.toMillis() + "ms");
            s.execute();
        }
    }

    /** A cancel request on a connection of its own, as psql's Ctrl-C sends; the statement fails with 57014. */
    @Override
    public void cancelRunning(Connection connection) throws SQLException {
        connection.unwrap(org.postgresql.PGConnection.class).cancelQuery();
    }

    /** See {@link PostgresJobLock}: a session-level advisory lock, and a writes key that keeps two holders apart. */
    @Override
    public Optional<JobLock> tryLock(Connection connection, String name) throws SQLException {
        return PostgresJobLock.tryTake(this, connection, name);
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

    /**
     * A role that may not DELETE from a table may not EXPLAIN a DELETE of it either; the same statement as a
     * SELECT reaches its rows the same way, so a dry run, the checks and the review explain that instead.
     */
    @Override
    public IndexUse explain(Connection connection, Sql statement, SqlParam.BatchValues batch) throws SQLException {
        if (!statement.text().startsWith(DELETE_FROM)) {
            return explainAsIs(connection, statement, batch);
        }
        Savepoint before = connection.getAutoCommit() ? null : connection.setSavepoint();
        try {
            IndexUse use = explainAsIs(connection, statement, batch);
            release(connection, before);
            return use;
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            if (before != null) {
                connection.rollback(before);
            }
            return explainAsIs(connection, asSelect(statement), batch);
        }
    }

    private static void release(Connection connection, Savepoint savepoint) throws SQLException {
        if (savepoint != null) {
            connection.releaseSavepoint(savepoint);
        }
    }

    private static final String DELETE_FROM = "DELETE FROM ";

    /** {@code DELETE FROM t WHERE ... [RETURNING c]} as {@code SELECT 1 FROM t WHERE ...}, parameters unchanged. */
    private static Sql asSelect(Sql delete) {
        String text = delete.text();
        int returning = text.lastIndexOf(" RETURNING ");
        String body = returning < 0 ? text : text.substring(0, returning);
        return Sql.of("SELECT 1 FROM " + body.substring(DELETE_FROM.length()), delete.params());
    }

    private IndexUse explainAsIs(Connection connection, Sql statement, SqlParam.BatchValues batch) throws SQLException {
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
