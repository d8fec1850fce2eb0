package io.runsweep.jobs.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runsweep.config.PartitionSettings;
import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.config.PartitionSettings.OnExpire;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.SystemPostgres;
import io.runsweep.sql.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A table pg_partman manages is refused by name, as its part_config shows it: two tools making and dropping one
 * table's partitions would undo each other. The embedded server cannot load pg_partman, so this runs on the
 * system's PostgreSQL 15 with Debian's postgresql-15-partman, and skips, saying so, without them.
 */
class PartmanRefusalTest {

    @Test
    void aTablePgPartmanManagesIsRefusedNamingItAndAnotherIsNot() throws Exception {
        Optional<String> missing = SystemPostgres.missing("pg_partman");
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElse("") + "; .ci/run installs it");
        try (SystemPostgres server = SystemPostgres.start()) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"));
                    Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA partman");
                s.execute("CREATE EXTENSION pg_partman SCHEMA partman");
                s.execute("CREATE TABLE events (id bigint NOT NULL, occurred timestamptz NOT NULL)"
                        + " PARTITION BY RANGE (occurred)");
                s.execute("SELECT partman.create_parent('public.events', 'occurred', 'native', 'daily')");
                s.execute("CREATE TABLE runs (id bigint NOT NULL, created timestamptz NOT NULL)"
                        + " PARTITION BY RANGE (created)");
            }
            long partmansPartitions = partitions(server, "events");
            try (Database database =
                    Databases.open(DatabaseUrl.parse(server.jdbcUrl("postgres")), TestDatabases.options())) {

                PartitionRunReport run = new PartitionMaintenance(
                                database, Duration.ofSeconds(2), java.time.Clock.systemUTC(), PartitionProgress.NONE)
                        .run(List.of(set("events", "occurred"), set("runs", "created")), false);

                PartitionReport events = run.sets().get(0);
                assertEquals(PartitionReport.Outcome.FAILED, events.outcome());
                assertEquals(
                        Optional.of("table \"events\" is managed by pg_partman (partman.part_config names it); two"
                                + " tools making and dropping its partitions would undo each other's work. Remove"
                                + " partition set events (runsweep.conf: 1), or take the table out of pg_partman"
                                + " first"),
                        events.error());
                assertEquals(List.of(), events.steps());
                assertEquals(partmansPartitions, partitions(server, "events"), "pg_partman's partitions untouched");
                PartitionReport runs = run.sets().get(1);
                assertEquals(
                        PartitionReport.Outcome.SUCCEEDED,
                        runs.outcome(),
                        runs.error().orElse(""));
                assertEquals(3, partitions(server, "runs"));
            }
        }
    }

    private static PartitionSettings set(String table, String column) {
        return new PartitionSettings(
                table,
                table,
                column,
                Interval.DAILY,
                2,
                new PartitionSettings.Retention.Intervals(7),
                OnExpire.DROP,
                "archive",
                3,
                Duration.ofMillis(10),
                true,
                "0 5 0 * * ?",
                "runsweep.conf: 1");
    }

    private static long partitions(SystemPostgres server, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_inherits WHERE inhparent = '" + table + "'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
