package io.runsweep.sql.postgresql;

import io.runsweep.sql.Column;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.Sql;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL declarative range partitioning: the catalog of a partitioned table and the DDL that makes,
 * detaches, drops and archives its partitions. Every name is validated and quoted.
 *
 * <p>Partition bounds are part of the DDL text, and DDL takes no bound parameters: the server parses
 * {@code CREATE TABLE ... PARTITION OF ... FOR VALUES} whole, before any value could be bound. So bounds
 * are written as literals, and only ever from an {@link Instant} that Runsweep's own interval arithmetic
 * computed, formatted here with a fixed pattern: never from text a user or the database supplied. Such a
 * literal holds nothing but digits, '-', ':', ' ' and '+'.
 */
public final class PostgresPartitions {
    /** The first version with {@code DETACH PARTITION ... CONCURRENTLY} and {@code pg_inherits.inhdetachpending}. */
    public static final int CONCURRENT_DETACH_VERSION = 140000;

    private static final String STRATEGY = """
      SELECT p.partstrat, ARRAY(SELECT coalesce(a.attname, '')
                                FROM unnest(p.partattrs::int2[]) WITH ORDINALITY k(attnum, n)
                                LEFT JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.attnum
                                ORDER BY k.n)
      FROM pg_partitioned_table p WHERE p.partrelid = to_regclass(?)""";

    private static final String PARTITIONS = """
      SELECT n.nspname, c.relname, n.nspname = current_schema(), pg_get_expr(c.relpartbound, c.oid), %s
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE i.inhparent = to_regclass(?)""";

    private static final Pattern RANGE = Pattern.compile("FOR VALUES FROM \\((.+)\\) TO \\((.+)\\)");
    // As the server writes a timestamptz, timestamp or date with TimeZone UTC and DateStyle ISO.
    private static final Pattern LITERAL =
            Pattern.compile("'(\\d{4}-\\d{2}-\\d{2})(?: (\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?))?(?:\\+00(?::00)?)?'");
    private static final DateTimeFormatter TIMESTAMP_TZ =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'+00'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);

    private final PostgresDialect dialect = new PostgresDialect();

    /** {@code server_version_num}, e.g. 150008: version-specific SQL is chosen from it once. */
    public int serverVersion(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    /**
     * The table, how it is partitioned and, for a range key of one column, its partitions. Reads in a
     * transaction of its own that sets TimeZone and DateStyle locally, so bounds print in one known form,
     * and rolls back (nothing is written). Empty when the table does not exist.
     *
     * @throws IllegalStateException when a partition's bound is not a timestamptz, timestamp or date Runsweep can read
     */
    public Optional<PartitionedTable> describe(Connection connection, TableName name) throws SQLException {
        Optional<Table> table = dialect.describe(connection, name);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Transactions.rollBack(connection, () -> {
            setLocal(connection, "TimeZone", "UTC");
            setLocal(connection, "DateStyle", "ISO, YMD");
            return describe(connection, table.get());
        }));
    }

    private PartitionedTable describe(Connection connection, Table table) throws SQLException {
        PartitionedTable.Strategy strategy = PartitionedTable.Strategy.NONE;
        List<String> key = List.of();
        try (PreparedStatement s = connection.prepareStatement(STRATEGY)) {
            s.setString(1, table.name().quoted());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    strategy = strategy(rs.getString(1));
                    key = List.of((String[]) rs.getArray(2).getArray());
                }
            }
        }
        List<RangePartition> ranges = new ArrayList<>();
        Optional<TableName> defaultPartition = Optional.empty();
        if (strategy == PartitionedTable.Strategy.RANGE && key.size() == 1) {
            String pending = serverVersion(connection) >= CONCURRENT_DETACH_VERSION ? "i.inhdetachpending" : "false";
            try (PreparedStatement s = connection.prepareStatement(String.format(PARTITIONS, pending))) {
                s.setString(1, table.name().quoted());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        TableName partition = new TableName(
                                rs.getBoolean(3) ? Optional.empty() : Optional.of(rs.getString(1)), rs.getString(2));
                        if ("DEFAULT".equals(rs.getString(4))) {
                            defaultPartition = Optional.of(partition);
                        } else {
                            ranges.add(range(partition, rs.getString(4), rs.getBoolean(5)));
                        }
                    }
                }
            }
        }
        ranges.sort(Comparator.comparing(RangePartition::from));
        return new PartitionedTable(table, strategy, key, ranges, defaultPartition);
    }

    private static PartitionedTable.Strategy strategy(String code) {
        return switch (code) {
            case "r" -> PartitionedTable.Strategy.RANGE;
            case "l" -> PartitionedTable.Strategy.LIST;
            default -> PartitionedTable.Strategy.HASH;
        };
    }

    private static RangePartition range(TableName partition, String bound, boolean detachPending) {
        Matcher m = RANGE.matcher(bound);
        if (!m.matches()) {
            throw new IllegalStateException("cannot read the bounds of partition \"" + partition + "\": " + bound);
        }
        return new RangePartition(partition, bound(partition, m.group(1)), bound(partition, m.group(2)), detachPending);
    }

    private static Instant bound(TableName partition, String text) {
        switch (text) {
            case "MINVALUE", "'-infinity'":
                return Instant.MIN;
            case "MAXVALUE", "'infinity'":
                return Instant.MAX;
            default:
                Matcher m = LITERAL.matcher(text);
                if (!m.matches()) {
                    throw new IllegalStateException("cannot read the bound " + text + " of partition \"" + partition
                            + "\": Runsweep reads timestamptz, timestamp and date bounds");
                }
                String time = m.group(2) == null ? "00:00:00" : m.group(2);
                return LocalDateTime.parse(m.group(1) + "T" + time).toInstant(ZoneOffset.UTC);
        }
    }

    private static void setLocal(Connection connection, String setting, String value) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
            s.setString(1, setting);
            s.setString(2, value);
            s.execute();
        }
    }

    /** True while an interrupted {@code DETACH ... CONCURRENTLY} of {@code partition} waits for FINALIZE. */
    public boolean detachPending(Connection connection, TableName partition) throws SQLException {
        if (serverVersion(connection) < CONCURRENT_DETACH_VERSION) {
            return false;
        }
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT inhdetachpending FROM pg_inherits WHERE inhrelid = to_regclass(?)")) {
            s.setString(1, partition.quoted());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** A partition for {@code [from, to)} named {@code name}, in the parent's schema. */
    public Ddl create(PartitionedTable parent, Column key, String name, Instant from, Instant to) {
        TableName partition = new TableName(parent.name().schema(), name);
        return Ddl.transactional("CREATE TABLE " + partition.quoted() + " PARTITION OF "
                + parent.name().quoted() + " FOR VALUES FROM (" + literal(key, from) + ") TO (" + literal(key, to)
                + ")");
    }

    /**
     * {@code CONCURRENTLY} (PostgreSQL 14+) takes only a SHARE UPDATE EXCLUSIVE lock on the parent, so the
     * application's queries go on, but it cannot run in a transaction block, nor when the table has a
     * default partition; otherwise a plain DETACH, which needs ACCESS EXCLUSIVE on the parent.
     */
    public Ddl detach(PartitionedTable parent, TableName partition, int serverVersion) {
        String detach = "ALTER TABLE " + parent.name().quoted() + " DETACH PARTITION " + partition.quoted();
        boolean concurrently = serverVersion >= CONCURRENT_DETACH_VERSION
                && parent.defaultPartition().isEmpty();
        return concurrently ? new Ddl(detach + " CONCURRENTLY", false) : Ddl.transactional(detach);
    }

    /** Completes a {@code DETACH ... CONCURRENTLY} that was interrupted; it may run in a transaction. */
    public Ddl finalizeDetach(PartitionedTable parent, TableName partition) {
        return Ddl.transactional(
                "ALTER TABLE " + parent.name().quoted() + " DETACH PARTITION " + partition.quoted() + " FINALIZE");
    }

    /** Without CASCADE: a view on the partition makes the drop fail rather than vanish with it. */
    public Ddl drop(TableName table) {
        return Ddl.transactional("DROP TABLE " + table.quoted());
    }

    public Ddl createSchema(String schema) {
        return Ddl.transactional("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
    }

    public Ddl setSchema(TableName table, String schema) {
        return Ddl.transactional("ALTER TABLE " + table.quoted() + " SET SCHEMA " + Identifiers.quote(schema));
    }

    /**
     * Where pg_partman keeps its configuration of {@code table} ({@code partman.part_config}), when it manages it:
     * the extension is installed and its part_config names the table.
     */
    public Optional<String> partmanConfig(Connection connection, TableName table) throws SQLException {
        String schema;
        try (PreparedStatement s = connection.prepareStatement("SELECT n.nspname FROM pg_extension e JOIN"
                + " pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_partman'")) {
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                schema = rs.getString(1);
            }
        }
        String config = Identifiers.quote(schema) + ".part_config";
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT 1 FROM " + config + " WHERE to_regclass(parent_table) = to_regclass(?)")) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(schema + ".part_config") : Optional.empty();
            }
        }
    }

    /**
     * A partition's rows and bytes (with indexes and TOAST). Rows are counted below {@link #EXACT_BELOW} rows and
     * the planner's estimate above, so measuring a large partition does not read it whole.
     */
    public record Size(long rows, boolean estimated, long bytes) {}

    private static final long EXACT_BELOW = 100_000;

    public Size size(Connection connection, TableName partition) throws SQLException {
        long estimate;
        long bytes;
        try (PreparedStatement s = connection.prepareStatement("SELECT c.reltuples::bigint,"
                + " pg_total_relation_size(c.oid) FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            s.setString(1, partition.quoted());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                estimate = rs.getLong(1);
                bytes = rs.getLong(2);
            }
        }
        if (estimate >= EXACT_BELOW) {
            return new Size(estimate, true, bytes);
        }
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + partition.quoted())) {
            rs.next();
            return new Size(rs.getLong(1), false, bytes);
        }
    }

    public Sql countRows(TableName table) {
        return Sql.of("SELECT count(*) FROM " + table.quoted(), List.of());
    }

    /**
     * Runs {@code ddl} under {@code lockTimeout}: in a transaction of its own with the timeout SET LOCAL,
     * or, for a statement that refuses transaction blocks, with the session's timeout set around it and
     * set back after, so that the pooled connection goes back as it came.
     */
    public void execute(Connection connection, Ddl ddl, Duration lockTimeout) throws SQLException {
        if (ddl.inTransaction()) {
            inTransaction(connection, ddl, lockTimeout);
            return;
        }
        SessionLockTimeout.with(connection, lockTimeout, () -> {
            try (Statement s = connection.createStatement()) {
                return s.execute(ddl.text());
            }
        });
    }

    private void inTransaction(Connection connection, Ddl ddl, Duration lockTimeout) throws SQLException {
        Transactions.commit(connection, () -> {
            try (Statement s = connection.createStatement()) {
                dialect.limitLockWait(connection, lockTimeout);
                s.execute(ddl.text());
            }
            return null;
        });
    }

    /** A bound as a literal of the key's own type (see the class comment for why it is not a parameter). */
    static String literal(Column key, Instant at) {
        DateTimeFormatter format = switch (key.category()) {
            case TIMESTAMP_TZ -> TIMESTAMP_TZ;
            case TIMESTAMP -> TIMESTAMP;
            case DATE -> DATE;
            default ->
                throw new IllegalArgumentException("partition key \"" + key.name() + "\" is of type " + key.typeName()
                        + "; Runsweep makes partitions by timestamptz, timestamp or date");
        };
        return "'" + format.format(at) + "'";
    }
}
