package io.runsweep.sql.postgresql;

import io.runsweep.sql.Column;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Converting an unpartitioned PostgreSQL table to range partitions: the facts a plan needs, read-only, and
 * the statements of the plan. Runsweep prints these statements for a person to review and run; it never
 * runs them. Names are validated and quoted; bounds are literals for the reason {@link PostgresPartitions}
 * gives; definitions of indexes and constraints are the server's own text ({@code pg_get_indexdef},
 * {@code pg_get_constraintdef}).
 */
public final class PostgresConversion {
    private static final String RELATION = "to_regclass(?)";

    private static final String INDEXES = """
      SELECT ic.relname, i.indisprimary, i.indisunique,
             ARRAY(SELECT coalesce(a.attname, '')
                   FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                   WHERE k.n <= i.indnkeyatts ORDER BY k.n),
             pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = to_regclass(?) ORDER BY ic.relname""";

    private static final String OWN_FOREIGN_KEYS = """
      SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
      WHERE conrelid = to_regclass(?) AND contype = 'f' ORDER BY conname""";

    private static final String REFERENCED_BY = """
      SELECT n.nspname, c.relname, n.nspname = current_schema(), con.conname, pg_get_constraintdef(con.oid)
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.confrelid = to_regclass(?) AND con.contype = 'f' AND con.conparentid = 0
      ORDER BY n.nspname, c.relname, con.conname""";

    private static final String COLUMN_KINDS = """
      SELECT attname, attidentity, attgenerated FROM pg_attribute
      WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum""";

    // deptype 'a': a sequence owned by a column (serial); identity sequences are 'i' and come with LIKE.
    private static final String SERIALS = """
      SELECT a.attname, sn.nspname, s.relname, sn.nspname = current_schema()
      FROM pg_depend d
      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      JOIN pg_namespace sn ON sn.oid = s.relnamespace
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE d.refobjid = to_regclass(?) AND d.classid = 'pg_class'::regclass AND d.deptype = 'a'
      ORDER BY a.attnum""";

    private final PostgresDialect dialect = new PostgresDialect();

    /** Reads everything a plan needs; runs only SELECTs. */
    public ConversionFacts facts(Connection connection, Table table, Column key) throws SQLException {
        String name = table.name().quoted();
        long estimate = scalar(connection, "SELECT reltuples::bigint FROM pg_class WHERE oid = " + RELATION, name);
        boolean counted = estimate < 0; // never vacuumed nor analyzed
        long rows = counted ? scalar(connection, "SELECT count(*) FROM " + name, null) : estimate;
        long nullKeys = key.nullable()
                ? scalar(connection, "SELECT count(*) FROM " + name + " WHERE " + key.quoted() + " IS NULL", null)
                : 0;
        Optional<Instant> min = keyBound(connection, table, key, "min");
        Optional<Instant> max = keyBound(connection, table, key, "max");
        List<String> identity = new ArrayList<>();
        List<String> generated = new ArrayList<>();
        boolean always = columnKinds(connection, name, identity, generated);
        return new ConversionFacts(
                table,
                key,
                rows,
                counted,
                min,
                max,
                nullKeys,
                dialect.totalBytes(connection, table),
                indexes(connection, name),
                ownForeignKeys(connection, table),
                referencedBy(connection, name),
                identity,
                always,
                generated,
                serials(connection, name),
                (int) scalar(
                        connection,
                        "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = " + RELATION,
                        name));
    }

    private static long scalar(Connection connection, String query, String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(query)) {
            if (table != null) {
                s.setString(1, table);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<Instant> keyBound(Connection connection, Table table, Column key, String function)
            throws SQLException {
        String query = "SELECT " + function + "(" + key.quoted() + ") FROM "
                + table.name().quoted();
        try (PreparedStatement s = connection.prepareStatement(query);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return Optional.ofNullable(
                    switch (key.category()) {
                        case TIMESTAMP_TZ ->
                            Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))
                                    .map(OffsetDateTime::toInstant)
                                    .orElse(null);
                        case TIMESTAMP ->
                            Optional.ofNullable(rs.getObject(1, LocalDateTime.class))
                                    .map(t -> t.toInstant(ZoneOffset.UTC))
                                    .orElse(null);
                        case DATE ->
                            Optional.ofNullable(rs.getObject(1, LocalDate.class))
                                    .map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC))
                                    .orElse(null);
                        default ->
                            throw new IllegalArgumentException("column \"" + key.name() + "\" is of type "
                                    + key.typeName() + "; Runsweep partitions by timestamptz, timestamp or date");
                    });
        }
    }

    private static List<ConversionFacts.Index> indexes(Connection connection, String table) throws SQLException {
        List<ConversionFacts.Index> indexes = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(INDEXES)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String definition = rs.getString(5);
                    indexes.add(new ConversionFacts.Index(
                            rs.getString(1),
                            rs.getBoolean(2),
                            rs.getBoolean(3),
                            strings(rs.getArray(4)),
                            definition.substring(definition.indexOf(" USING ") + " USING ".length())));
                }
            }
        }
        return indexes;
    }

    private static List<String> strings(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }

    private static List<ConversionFacts.Constraint> ownForeignKeys(Connection connection, Table table)
            throws SQLException {
        List<ConversionFacts.Constraint> keys = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(OWN_FOREIGN_KEYS)) {
            s.setString(1, table.name().quoted());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ConversionFacts.Constraint(table.name(), rs.getString(1), rs.getString(2)));
                }
            }
        }
        return keys;
    }

    private static List<ConversionFacts.Constraint> referencedBy(Connection connection, String table)
            throws SQLException {
        List<ConversionFacts.Constraint> keys = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(REFERENCED_BY)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ConversionFacts.Constraint(
                            tableName(rs.getString(1), rs.getString(2), rs.getBoolean(3)),
                            rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return keys;
    }

    /** Fills the identity and generated columns; true when an identity column is GENERATED ALWAYS. */
    private static boolean columnKinds(
            Connection connection, String table, List<String> identity, List<String> generated) throws SQLException {
        boolean always = false;
        try (PreparedStatement s = connection.prepareStatement(COLUMN_KINDS)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(2).isEmpty()) {
                        identity.add(rs.getString(1));
                        always |= "a".equals(rs.getString(2));
                    }
                    if (!rs.getString(3).isEmpty()) {
                        generated.add(rs.getString(1));
                    }
                }
            }
        }
        return always;
    }

    private static List<ConversionFacts.Serial> serials(Connection connection, String table) throws SQLException {
        List<ConversionFacts.Serial> serials = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(SERIALS)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    serials.add(new ConversionFacts.Serial(
                            rs.getString(1), tableName(rs.getString(2), rs.getString(3), rs.getBoolean(4))));
                }
            }
        }
        return serials;
    }

    private static TableName tableName(String schema, String name, boolean onPath) {
        return new TableName(onPath ? Optional.empty() : Optional.of(schema), name);
    }

    // The plan's statements.

    /** The new table with the columns, defaults, constraints, identity and storage of {@code source}. */
    public String createLike(TableName target, TableName source, Column key, boolean withIndexes) {
        return "CREATE TABLE " + target.quoted() + " (LIKE " + source.quoted() + " INCLUDING ALL"
                + (withIndexes ? "" : " EXCLUDING INDEXES") + ") PARTITION BY RANGE (" + key.quoted() + ")";
    }

    public String addPrimaryKey(TableName target, List<String> columns) {
        return "ALTER TABLE " + target.quoted() + " ADD PRIMARY KEY " + columns(columns);
    }

    /** The index on {@code target}, named by the server; the source's index keeps its name until it is dropped. */
    public String createIndex(TableName target, ConversionFacts.Index index) {
        return "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX ON " + target.quoted() + " USING "
                + index.method();
    }

    public String createPartition(TableName parent, String name, Column key, Instant from, Instant to) {
        TableName partition = new TableName(parent.schema(), name);
        return "CREATE TABLE " + partition.quoted() + " PARTITION OF " + parent.quoted() + " FOR VALUES FROM ("
                + PostgresPartitions.literal(key, from) + ") TO (" + PostgresPartitions.literal(key, to) + ")";
    }

    public String createDefaultPartition(TableName parent, String name) {
        return "CREATE TABLE " + new TableName(parent.schema(), name).quoted() + " PARTITION OF " + parent.quoted()
                + " DEFAULT";
    }

    /**
     * Copies the rows with {@code from <= key < to} (either end open when empty), and those with a NULL key
     * when {@code withNulls}. Stored generated columns are left out: the server computes them again.
     */
    public String copy(
            ConversionFacts facts, TableName target, Optional<Instant> from, Optional<Instant> to, boolean withNulls) {
        List<String> columns = facts.table().columns().stream()
                .map(Column::name)
                .filter(c -> !facts.generated().contains(c))
                .toList();
        String list = columns(columns);
        Column key = facts.key();
        StringJoiner range = new StringJoiner(" AND ");
        from.ifPresent(f -> range.add(key.quoted() + " >= " + PostgresPartitions.literal(key, f)));
        to.ifPresent(t -> range.add(key.quoted() + " < " + PostgresPartitions.literal(key, t)));
        String nulls = key.quoted() + " IS NULL";
        String where = !withNulls ? range.toString() : range.length() == 0 ? nulls : "(" + range + ") OR " + nulls;
        return "INSERT INTO " + target.quoted() + " " + list
                + (facts.identityAlways() ? " OVERRIDING SYSTEM VALUE" : "")
                + " SELECT " + list.substring(1, list.length() - 1) + " FROM "
                + facts.table().name().quoted()
                + " WHERE " + where;
    }

    public String addConstraint(TableName target, ConversionFacts.Constraint constraint) {
        return "ALTER TABLE " + target.quoted() + " ADD CONSTRAINT " + Identifiers.quote(constraint.name()) + " "
                + constraint.definition();
    }

    public String dropConstraint(ConversionFacts.Constraint constraint) {
        return "ALTER TABLE " + constraint.table().quoted() + " DROP CONSTRAINT "
                + Identifiers.quote(constraint.name());
    }

    public String setLocalLockTimeout(Duration lockTimeout) {
        return "SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'";
    }

    public String lockExclusively(TableName table) {
        return "LOCK TABLE " + table.quoted() + " IN ACCESS EXCLUSIVE MODE";
    }

    public String rename(TableName table, String newName) {
        return "ALTER TABLE " + table.quoted() + " RENAME TO " + Identifiers.quote(newName);
    }

    /** Moves an identity column's new sequence past the copied values. */
    public String restartIdentity(TableName table, String column) {
        return "SELECT setval(pg_get_serial_sequence('" + table.quoted() + "', '" + Identifiers.requireValid(column)
                + "'), max(" + Identifiers.quote(column) + ")) FROM " + table.quoted();
    }

    /** A serial's sequence is dropped with the table that owns it: hand it to the new one. */
    public String ownSequence(ConversionFacts.Serial serial, TableName table) {
        return "ALTER SEQUENCE " + serial.sequence().quoted() + " OWNED BY " + table.quoted() + "."
                + Identifiers.quote(serial.column());
    }

    private static String columns(List<String> columns) {
        StringJoiner list = new StringJoiner(", ", "(", ")");
        columns.forEach(c -> list.add(Identifiers.quote(c)));
        return list.toString();
    }
}
