package io.runsweep.jobs.partition;

import io.runsweep.config.PartitionSettings;
import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.config.PartitionSettings.OnExpire;
import io.runsweep.sql.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A small range-partitioned table for partition tests, and what the catalog says of it. */
final class PartitionedTables {
    static final String TABLE = "Runs";

    private PartitionedTables() {}

    /** {@code "Runs"("Id", "CreatedAt")} partitioned by range on {@code "CreatedAt"}, with no partitions yet. */
    static void create(Database database, String... partitionDdl) throws SQLException {
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE \"Runs\" (\"Id\" bigint NOT NULL, \"CreatedAt\" timestamptz NOT NULL,"
                    + " PRIMARY KEY (\"Id\", \"CreatedAt\")) PARTITION BY RANGE (\"CreatedAt\")");
            for (String ddl : partitionDdl) {
                s.execute(ddl);
            }
        }
    }

    static PartitionSettings set(
            Interval interval, int premake, int retention, OnExpire onExpire, int attempts, Duration backoff) {
        return new PartitionSettings(
                "runs",
                TABLE,
                "CreatedAt",
                interval,
                premake,
                retention,
                onExpire,
                "archive",
                attempts,
                backoff,
                true,
                "0 5 0 * * ?",
                "runsweep.conf: 1");
    }

    static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    static void insert(Database database, long id, String createdAt) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement s = c.prepareStatement("INSERT INTO \"Runs\" VALUES (?, ?)")) {
            s.setLong(1, id);
            s.setObject(2, Instant.parse(createdAt).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            s.executeUpdate();
        }
    }

    /** The partitions attached to "Runs", by name. */
    static List<String> partitions(Database database) throws SQLException {
        return strings(
                database,
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " WHERE i.inhparent = '\"Runs\"'::regclass ORDER BY c.relname");
    }

    /** Every ordinary or partitioned table of a schema, by name. */
    static List<String> tables(Database database, String schema) throws SQLException {
        return strings(
                database,
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = '" + schema + "' AND c.relkind IN ('r', 'p') ORDER BY c.relname");
    }

    static List<String> ids(Database database, String table) throws SQLException {
        return strings(database, "SELECT \"Id\"::text FROM " + table + " ORDER BY \"Id\"");
    }

    private static List<String> strings(Database database, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = database.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
