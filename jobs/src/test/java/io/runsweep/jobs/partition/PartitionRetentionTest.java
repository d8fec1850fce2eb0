package io.runsweep.jobs.partition;

import static io.runsweep.jobs.partition.PartitionedTables.at;
import static io.runsweep.jobs.partition.PartitionedTables.insert;
import static io.runsweep.jobs.partition.PartitionedTables.partitions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PartitionSettings;
import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.config.PartitionSettings.OnExpire;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.checks.Checks;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.checks.PartitionCheck;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition retention given as an age, as pg_partman takes it, and the rows and bytes of each partition past it,
 * which the dry run and the checks (behind /status) show before anything goes.
 */
class PartitionRetentionTest {
    @TempDir
    Path dir;

    @Test
    void anAgeExpiresThePartitionsWhollyOlderAndTheDryRunShowsTheirRowsAndBytes() throws Exception {
        PartitionSettings set = new PartitionSettings(
                "runs",
                PartitionedTables.TABLE,
                "CreatedAt",
                Interval.MONTHLY,
                1,
                new PartitionSettings.Retention.Age(Period.ofMonths(2), Duration.ZERO, "2 months"),
                OnExpire.DETACH,
                "archive",
                3,
                Duration.ofMillis(10),
                true,
                "0 5 0 * * ?",
                "runsweep.conf: 1");
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(
                    database,
                    "CREATE TABLE \"Runs_2026_01\" PARTITION OF \"Runs\" FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
                    "CREATE TABLE \"Runs_2026_02\" PARTITION OF \"Runs\" FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')",
                    "CREATE TABLE \"Runs_2026_03\" PARTITION OF \"Runs\" FOR VALUES FROM ('2026-03-01') TO ('2026-04-01')");
            for (int i = 1; i <= 30; i++) {
                insert(database, i, "2026-01-" + String.format("%02d", i) + "T00:00:00Z");
            }
            for (int i = 31; i <= 50; i++) {
                insert(database, i, "2026-02-" + String.format("%02d", i - 30) + "T00:00:00Z");
            }

            // 2026-04-20 minus two months is 2026-02-20: January ended before it, February did not.
            PartitionReport dryRun = new PartitionMaintenance(
                            database, Duration.ofSeconds(2), at("2026-04-20T00:00:00Z"), PartitionProgress.NONE)
                    .run(List.of(set), true)
                    .sets()
                    .get(0);

            assertEquals(
                    Instant.parse("2026-02-20T00:00:00Z"), dryRun.expireBefore().orElseThrow());
            assertEquals(
                    List.of(new io.runsweep.jobs.partition.PartitionPlan.Expiring(
                            "Runs_2026_01", "detach", 30, false, totalBytes(database, "Runs_2026_01"))),
                    dryRun.expiring());
            assertEquals(List.of("Runs_2026_01", "Runs_2026_02", "Runs_2026_03"), partitions(database));

            ChecksReport checks = new Checks(
                            database,
                            TestSettings.load(
                                    dir,
                                    "runsweep.partitions.runs { table = \"Runs\", column = \"CreatedAt\", interval ="
                                            + " monthly, retention = \"2 months\", on-expire = detach }"),
                            at("2026-04-20T00:00:00Z"))
                    .run();
            assertEquals(List.of(), checks.problems());
            assertEquals(
                    List.of(new PartitionCheck(
                            "runs", "Runs", Instant.parse("2026-02-20T00:00:00Z"), dryRun.expiring())),
                    checks.partitions());

            PartitionReport run = new PartitionMaintenance(
                            database, Duration.ofSeconds(2), at("2026-04-20T00:00:00Z"), PartitionProgress.NONE)
                    .run(List.of(set), false)
                    .sets()
                    .get(0);
            assertEquals(List.of("Runs_2026_01"), run.done(PartitionStep.Action.DETACH));
            assertEquals(List.of("Runs_2026_02", "Runs_2026_03", "Runs_2026_04", "Runs_2026_05"), partitions(database));
        }
    }

    private static long totalBytes(Database database, String table) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('\"" + table + "\"')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
