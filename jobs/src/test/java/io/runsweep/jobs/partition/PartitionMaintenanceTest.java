package io.runsweep.jobs.partition;

import static io.runsweep.jobs.partition.PartitionedTables.at;
import static io.runsweep.jobs.partition.PartitionedTables.ids;
import static io.runsweep.jobs.partition.PartitionedTables.insert;
import static io.runsweep.jobs.partition.PartitionedTables.partitions;
import static io.runsweep.jobs.partition.PartitionedTables.set;
import static io.runsweep.jobs.partition.PartitionedTables.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PartitionSettings;
import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.config.PartitionSettings.OnExpire;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partition sets on a real PostgreSQL, with an injected clock moved across months, weeks and days. */
class PartitionMaintenanceTest {
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private static PartitionReport runOnce(Database database, Clock clock, PartitionSettings set, boolean dryRun) {
        PartitionRunReport run = new PartitionMaintenance(database, LOCK_TIMEOUT, clock, PartitionProgress.NONE)
                .run(List.of(set), dryRun);
        return run.sets().get(0);
    }

    @Test
    void monthlyPartitionsAreMadeAheadThenDetachedAndDroppedAsTheMonthsGoBy() throws Exception {
        PartitionSettings set = set(Interval.MONTHLY, 2, 2, OnExpire.DROP, 5, Duration.ofMillis(10));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(database);

            PartitionReport january = runOnce(database, at("2026-01-15T10:00:00Z"), set, false);
            assertEquals(
                    PartitionReport.Outcome.SUCCEEDED,
                    january.outcome(),
                    january.error().orElse(""));
            assertEquals(
                    List.of("Runs_2026_01", "Runs_2026_02", "Runs_2026_03"), january.done(PartitionStep.Action.CREATE));
            assertEquals(List.of("Runs_2026_01", "Runs_2026_02", "Runs_2026_03"), partitions(database));
            assertEquals(List.of(2, 2), List.of(january.futurePartitions(), january.premake()));
            assertEquals(List.of(), january.findings());
            insert(database, 1, "2026-01-20T00:00:00Z");
            insert(database, 2, "2026-02-20T00:00:00Z");
            insert(database, 3, "2026-03-20T00:00:00Z");

            PartitionReport march = runOnce(database, at("2026-03-10T00:00:00Z"), set, false);
            assertEquals(List.of("Runs_2026_04", "Runs_2026_05"), march.done(PartitionStep.Action.CREATE));
            assertEquals(List.of(), march.done(PartitionStep.Action.DETACH));
            assertEquals(
                    List.of("Runs_2026_01", "Runs_2026_02", "Runs_2026_03", "Runs_2026_04", "Runs_2026_05"),
                    partitions(database));

            // At the very start of April, January (which ends on 1 February) is two months before March: it goes.
            PartitionReport april = runOnce(database, at("2026-04-01T00:00:00Z"), set, false);
            assertEquals(List.of("Runs_2026_06"), april.done(PartitionStep.Action.CREATE));
            assertEquals(List.of("Runs_2026_01"), april.done(PartitionStep.Action.DETACH));
            assertEquals(List.of("Runs_2026_01"), april.done(PartitionStep.Action.DROP));
            assertEquals(
                    List.of(
                            "ALTER TABLE \"Runs\" DETACH PARTITION \"Runs_2026_01\" CONCURRENTLY",
                            "DROP TABLE \"Runs_2026_01\""),
                    april.steps().stream().skip(1).map(StepResult::sql).toList());
            assertEquals(
                    List.of("Runs_2026_02", "Runs_2026_03", "Runs_2026_04", "Runs_2026_05", "Runs_2026_06"),
                    partitions(database));
            assertEquals(List.of("2", "3"), ids(database, "\"Runs\""));

            PartitionReport june = runOnce(database, at("2026-06-20T12:00:00Z"), set, false);
            assertEquals(List.of("Runs_2026_07", "Runs_2026_08"), june.done(PartitionStep.Action.CREATE));
            assertEquals(List.of("Runs_2026_02", "Runs_2026_03"), june.done(PartitionStep.Action.DROP));
            assertEquals(
                    List.of("Runs_2026_04", "Runs_2026_05", "Runs_2026_06", "Runs_2026_07", "Runs_2026_08"),
                    partitions(database));
            assertEquals(
                    List.of("Runs", "Runs_2026_04", "Runs_2026_05", "Runs_2026_06", "Runs_2026_07", "Runs_2026_08"),
                    tables(database, "public"));
            assertEquals(List.of(), ids(database, "\"Runs\""));
        }
    }

    @Test
    void weeklyPartitionsStartOnMondayAndExpiredOnesMoveToTheArchiveSchema() throws Exception {
        PartitionSettings set = set(Interval.WEEKLY, 1, 1, OnExpire.ARCHIVE, 5, Duration.ofMillis(10));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(database);

            runOnce(database, at("2026-01-07T09:00:00Z"), set, false); // a Wednesday
            assertEquals(List.of("Runs_2026_01_05", "Runs_2026_01_12"), partitions(database));
            insert(database, 1, "2026-01-06T00:00:00Z");

            PartitionReport later = runOnce(database, at("2026-01-21T09:00:00Z"), set, false);

            assertEquals(
                    PartitionReport.Outcome.SUCCEEDED,
                    later.outcome(),
                    later.error().orElse(""));
            assertEquals(
                    List.of(
                            "CREATE SCHEMA IF NOT EXISTS \"archive\"",
                            "ALTER TABLE \"Runs\" DETACH PARTITION \"Runs_2026_01_05\" CONCURRENTLY",
                            "ALTER TABLE \"Runs_2026_01_05\" SET SCHEMA \"archive\""),
                    later.steps().stream().skip(2).map(StepResult::sql).toList());
            assertEquals(List.of("Runs_2026_01_12", "Runs_2026_01_19", "Runs_2026_01_26"), partitions(database));
            assertEquals(List.of("Runs_2026_01_05"), tables(database, "archive"));
            assertEquals(List.of("1"), ids(database, "archive.\"Runs_2026_01_05\""));
        }
    }

    @Test
    void dailyPartitionsCrossTheMonthAndDetachedOnesStayAsPlainTables() throws Exception {
        PartitionSettings set = set(Interval.DAILY, 2, 1, OnExpire.DETACH, 5, Duration.ofMillis(10));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(database);

            runOnce(database, at("2026-02-27T23:59:59Z"), set, false);
            assertEquals(List.of("Runs_2026_02_27", "Runs_2026_02_28", "Runs_2026_03_01"), partitions(database));

            PartitionReport next = runOnce(database, at("2026-03-01T00:00:00Z"), set, false);

            assertEquals(List.of("Runs_2026_03_02", "Runs_2026_03_03"), next.done(PartitionStep.Action.CREATE));
            assertEquals(List.of("Runs_2026_02_27"), next.done(PartitionStep.Action.DETACH));
            assertEquals(List.of(), next.done(PartitionStep.Action.DROP));
            assertEquals(
                    List.of("Runs_2026_02_28", "Runs_2026_03_01", "Runs_2026_03_02", "Runs_2026_03_03"),
                    partitions(database));
            assertEquals(
                    List.of(
                            "Runs",
                            "Runs_2026_02_27",
                            "Runs_2026_02_28",
                            "Runs_2026_03_01",
                            "Runs_2026_03_02",
                            "Runs_2026_03_03"),
                    tables(database, "public"));
        }
    }

    @Test
    void dryRunListsTheDdlItWouldRunAndChangesNothing() throws Exception {
        PartitionSettings set = set(Interval.MONTHLY, 2, 1, OnExpire.DROP, 5, Duration.ofMillis(10));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(
                    database,
                    "CREATE TABLE \"Runs_old\" PARTITION OF \"Runs\""
                            + " FOR VALUES FROM (MINVALUE) TO ('2026-01-01 00:00:00+00')");

            PartitionReport preview;
            try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
                preview = runOnce(readOnly, at("2026-03-10T00:00:00Z"), set, true);
            }

            assertEquals(
                    PartitionReport.Outcome.PREVIEWED,
                    preview.outcome(),
                    preview.error().orElse(""));
            assertEquals(
                    List.of(
                            "CREATE TABLE \"Runs_2026_03\" PARTITION OF \"Runs\""
                                    + " FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00')",
                            "CREATE TABLE \"Runs_2026_04\" PARTITION OF \"Runs\""
                                    + " FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00')",
                            "CREATE TABLE \"Runs_2026_05\" PARTITION OF \"Runs\""
                                    + " FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-06-01 00:00:00+00')",
                            "ALTER TABLE \"Runs\" DETACH PARTITION \"Runs_old\" CONCURRENTLY",
                            "DROP TABLE \"Runs_old\""),
                    preview.steps().stream().map(StepResult::sql).toList());
            assertEquals(
                    List.of(StepResult.Status.PLANNED),
                    preview.steps().stream().map(StepResult::status).distinct().toList());
            assertEquals(
                    List.of(
                            "no partition covers the current interval (2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z): its rows go to"
                                    + " the default partition, or fail when there is none",
                            "only 0 of 2 future partitions exist"),
                    preview.findings());
            assertEquals(List.of("Runs_old"), partitions(database));
        }
    }

    @Test
    void rowsInTheDefaultPartitionAreReportedAndDetachIsPlainWhenThereIsOne() throws Exception {
        PartitionSettings set = set(Interval.MONTHLY, 1, 2, OnExpire.DROP, 5, Duration.ofMillis(10));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(
                    database,
                    "CREATE TABLE \"Runs_default\" PARTITION OF \"Runs\" DEFAULT",
                    "CREATE TABLE \"Runs_2025_10\" PARTITION OF \"Runs\""
                            + " FOR VALUES FROM ('2025-10-01 00:00:00+00') TO ('2025-11-01 00:00:00+00')");
            insert(database, 1, "2025-05-01T00:00:00Z");
            insert(database, 2, "2025-06-01T00:00:00Z");

            PartitionReport report = runOnce(database, at("2026-03-05T00:00:00Z"), set, false);

            assertEquals(
                    PartitionReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            assertEquals(
                    List.of("ALTER TABLE \"Runs\" DETACH PARTITION \"Runs_2025_10\"", "DROP TABLE \"Runs_2025_10\""),
                    report.steps().stream().skip(2).map(StepResult::sql).toList());
            assertEquals(Optional.of("Runs_default"), report.defaultPartition());
            assertEquals(2, report.defaultRows());
            assertEquals(
                    List.of("2 rows in the default partition \"Runs_default\": \"CreatedAt\" falls in no range"
                            + " partition"),
                    report.findings());
            assertEquals(List.of("Runs_2026_03", "Runs_2026_04", "Runs_default"), partitions(database));
        }
    }

    @Test
    void aTableThatIsNotPartitionedIsReportedWithTheWayToConvertIt() throws Exception {
        PartitionSettings set = set(Interval.MONTHLY, 1, 2, OnExpire.DROP, 5, Duration.ofMillis(10));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (var c = database.connection();
                    var s = c.createStatement()) {
                s.execute("CREATE TABLE \"Runs\" (\"Id\" bigint PRIMARY KEY, \"CreatedAt\" timestamptz NOT NULL)");
            }

            PartitionReport report = runOnce(database, at("2026-03-05T00:00:00Z"), set, false);

            assertEquals(PartitionReport.Outcome.FAILED, report.outcome());
            assertEquals(
                    Optional.of(
                            "table \"Runs\" is not partitioned by range (it is not partitioned at all;"
                                    + " \"runsweep partition plan\" prints how to convert it) (partition set defined at runsweep.conf: 1)"),
                    report.error());
        }
    }

    @Test
    void sqliteHasNoPartitionsAndSaysSo() throws Exception {
        PartitionSettings set = set(Interval.MONTHLY, 1, 2, OnExpire.DROP, 5, Duration.ofMillis(10));
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            PartitionReport report = runOnce(database, at("2026-03-05T00:00:00Z"), set, false);

            assertEquals(
                    Optional.of("partitions need PostgreSQL's declarative partitioning; this database is SQLite ("
                            + database.url().redacted() + ")"),
                    report.error());
        }
    }
}
