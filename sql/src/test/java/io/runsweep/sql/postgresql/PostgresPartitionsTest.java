package io.runsweep.sql.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.sql.Column;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The partition catalog and DDL of PostgreSQL, against a real server. */
class PostgresPartitionsTest {
    private static final Instant JANUARY = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FEBRUARY = Instant.parse("2026-02-01T00:00:00Z");

    private final PostgresPartitions partitions = new PostgresPartitions();

    private static Database open() {
        return Databases.open(DatabaseUrl.parse(TestPostgres.newDatabase()), TestDatabases.options());
    }

    /**
     * The server prints bounds in the session's time zone; the catalog read sets UTC locally, so bounds read
     * back as the instants they were made from, whatever the session says, for each key type.
     */
    @Test
    void boundsMadeHereReadBackAsTheSameInstantsForEveryKeyType() throws Exception {
        try (Database database = open();
                Connection c = database.connection();
                Statement s = c.createStatement()) {
            for (String type : List.of("timestamptz", "timestamp", "date")) {
                String table = "t_" + type;
                s.execute("CREATE TABLE " + table + " (at " + type + ") PARTITION BY RANGE (at)");
                PartitionedTable parent =
                        partitions.describe(c, TableName.of(table)).orElseThrow();
                Column key = parent.table().column("at").orElseThrow();
                s.execute(partitions
                        .create(parent, key, table + "_2026_01", JANUARY, FEBRUARY)
                        .text());
                s.execute("CREATE TABLE " + table + "_old PARTITION OF " + table
                        + " FOR VALUES FROM (MINVALUE) TO ('2026-01-01')");
                s.execute("CREATE TABLE " + table + "_late PARTITION OF " + table
                        + " FOR VALUES FROM ('2026-02-01') TO (MAXVALUE)");
                s.execute("SET TimeZone = 'America/New_York'");

                PartitionedTable read =
                        partitions.describe(c, TableName.of(table)).orElseThrow();

                assertEquals(
                        List.of(
                                new RangePartition(TableName.of(table + "_old"), Instant.MIN, JANUARY, false),
                                new RangePartition(TableName.of(table + "_2026_01"), JANUARY, FEBRUARY, false),
                                new RangePartition(TableName.of(table + "_late"), FEBRUARY, Instant.MAX, false)),
                        read.partitions(),
                        type);
                assertEquals(List.of("at"), read.keyColumns());
                s.execute("RESET TimeZone");
            }
        }
    }

    @Test
    void literalsAreWrittenInTheKeysOwnType() {
        assertEquals(
                "'2026-01-01 00:00:00+00'",
                PostgresPartitions.literal(column("timestamptz", Column.Category.TIMESTAMP_TZ), JANUARY));
        assertEquals(
                "'2026-01-01 00:00:00'",
                PostgresPartitions.literal(column("timestamp", Column.Category.TIMESTAMP), JANUARY));
        assertEquals("'2026-01-01'", PostgresPartitions.literal(column("date", Column.Category.DATE), JANUARY));
    }

    /** CONCURRENTLY needs PostgreSQL 14 and no default partition; otherwise the plain, transactional DETACH. */
    @Test
    void detachIsConcurrentOnlyFrom14AndWithoutADefaultPartition() {
        TableName child = TableName.of("t_2025_01");
        PartitionedTable plain = table(Optional.empty());
        PartitionedTable withDefault = table(Optional.of(TableName.of("t_default")));

        assertEquals(
                new Ddl("ALTER TABLE \"t\" DETACH PARTITION \"t_2025_01\" CONCURRENTLY", false),
                partitions.detach(plain, child, 140000));
        assertEquals(
                Ddl.transactional("ALTER TABLE \"t\" DETACH PARTITION \"t_2025_01\""),
                partitions.detach(plain, child, 130011));
        assertEquals(
                Ddl.transactional("ALTER TABLE \"t\" DETACH PARTITION \"t_2025_01\""),
                partitions.detach(withDefault, child, 150008));
    }

    private static PartitionedTable table(Optional<TableName> defaultPartition) {
        Table info =
                new Table(TableName.of("t"), List.of(column("timestamptz", Column.Category.TIMESTAMP_TZ)), List.of());
        return new PartitionedTable(info, PartitionedTable.Strategy.RANGE, List.of("at"), List.of(), defaultPartition);
    }

    private static Column column(String type, Column.Category category) {
        return new Column("at", type, category, true);
    }
}
