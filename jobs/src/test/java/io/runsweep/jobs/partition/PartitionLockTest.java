package io.runsweep.jobs.partition;

import static io.runsweep.jobs.partition.PartitionedTables.at;
import static io.runsweep.jobs.partition.PartitionedTables.partitions;
import static io.runsweep.jobs.partition.PartitionedTables.set;
import static io.runsweep.jobs.partition.PartitionedTables.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.PartitionSettings;
import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.config.PartitionSettings.OnExpire;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition DDL while another session holds a long transaction on the table: each statement gives up after
 * its lock timeout instead of queueing (and making the application queue behind it), tries again, and
 * succeeds once the other session commits. The blocker commits from the retry callback, after a given
 * number of timeouts, so the outcome never depends on timing.
 */
class PartitionLockTest {
    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);
    private static final String TIMEOUT =
            "SQL State 55P03, error code 0: ERROR: canceling statement due to lock timeout";

    @TempDir
    Path dir;

    /** Commits the blocking transaction when the given attempt has failed; never, for 0. */
    private static PartitionProgress releaseAfter(Connection blocker, int attempt, List<String> seen) {
        return (step, failed, error, wait) -> {
            seen.add(step.action().word() + " " + step.partition() + " attempt " + failed + ": " + error);
            if (failed == attempt) {
                try {
                    blocker.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** An open transaction that read the parent: it holds ACCESS SHARE on "Runs" and its partitions. */
    private static Connection blocker(Database database) throws SQLException {
        Connection blocker = database.connection();
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
            s.executeQuery("SELECT count(*) FROM \"Runs\"").close();
        }
        return blocker;
    }

    @Test
    void createTimesOutWhileAReaderHoldsTheTableAndSucceedsOnceItCommits() throws Exception {
        PartitionSettings set = set(Interval.MONTHLY, 1, 12, OnExpire.DROP, 5, Duration.ofMillis(20));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(
                    database,
                    "CREATE TABLE \"Runs_2026_03\" PARTITION OF \"Runs\""
                            + " FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00')");
            List<String> seen = new ArrayList<>();
            PartitionReport report;
            try (Connection blocker = blocker(database)) {
                report = new PartitionMaintenance(
                                database, LOCK_TIMEOUT, at("2026-03-10T00:00:00Z"), releaseAfter(blocker, 2, seen))
                        .run(List.of(set), false)
                        .sets()
                        .get(0);
            }

            assertEquals(
                    PartitionReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            StepResult create = report.steps().get(0);
            assertEquals(List.of(StepResult.Status.DONE, 3), List.of(create.status(), create.attempts()));
            assertEquals(List.of("attempt 1: " + TIMEOUT, "attempt 2: " + TIMEOUT), create.retries());
            assertEquals(
                    List.of("create Runs_2026_04 attempt 1: " + TIMEOUT, "create Runs_2026_04 attempt 2: " + TIMEOUT),
                    seen);
            assertEquals(List.of("Runs_2026_03", "Runs_2026_04"), partitions(database));
        }
    }

    @Test
    void givesUpAfterItsAttemptsWhileTheReaderNeverCommitsAndChangesNothing() throws Exception {
        PartitionSettings set = set(Interval.MONTHLY, 1, 12, OnExpire.DROP, 2, Duration.ofMillis(20));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(
                    database,
                    "CREATE TABLE \"Runs_2026_03\" PARTITION OF \"Runs\""
                            + " FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00')");
            PartitionReport report;
            try (Connection blocker = blocker(database)) {
                report = new PartitionMaintenance(
                                database,
                                LOCK_TIMEOUT,
                                at("2026-03-10T00:00:00Z"),
                                releaseAfter(blocker, 0, new ArrayList<>()))
                        .run(List.of(set), false)
                        .sets()
                        .get(0);
                blocker.rollback();
            }

            assertEquals(PartitionReport.Outcome.FAILED, report.outcome());
            StepResult create = report.steps().get(0);
            assertEquals(List.of(StepResult.Status.FAILED, 2), List.of(create.status(), create.attempts()));
            assertEquals(
                    Optional.of("gave up after 2 attempts, each waiting up to 200 ms for its lock"
                            + " (runsweep.database.lock-timeout); another session holds a conflicting lock on the table, see"
                            + " pg_locks: " + TIMEOUT),
                    create.error());
            assertEquals(
                    Optional.of("1 of 1 statements failed; the first, create \"Runs_2026_04\": "
                            + create.error().get()),
                    report.error());
            assertEquals(List.of("only 0 of 1 future partitions exist after this run"), report.findings());
            assertEquals(List.of("Runs_2026_03"), partitions(database));
        }
    }

    /**
     * DETACH ... CONCURRENTLY commits its first step, then waits for the reader: when that wait times out,
     * the partition is left "detach pending", and only FINALIZE completes it. The retries switch to it.
     */
    @Test
    void anInterruptedConcurrentDetachIsFinishedWithFinalizeThenDropped() throws Exception {
        PartitionSettings set = set(Interval.MONTHLY, 1, 2, OnExpire.DROP, 5, Duration.ofMillis(20));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            PartitionedTables.create(
                    database,
                    "CREATE TABLE \"Runs_2025_12\" PARTITION OF \"Runs\""
                            + " FOR VALUES FROM ('2025-12-01 00:00:00+00') TO ('2026-01-01 00:00:00+00')",
                    "CREATE TABLE \"Runs_2026_03\" PARTITION OF \"Runs\""
                            + " FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00')",
                    "CREATE TABLE \"Runs_2026_04\" PARTITION OF \"Runs\""
                            + " FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00')");
            List<String> seen = new ArrayList<>();
            PartitionReport report;
            try (Connection blocker = blocker(database)) {
                report = new PartitionMaintenance(
                                database, LOCK_TIMEOUT, at("2026-03-10T00:00:00Z"), releaseAfter(blocker, 2, seen))
                        .run(List.of(set), false)
                        .sets()
                        .get(0);
            }

            assertEquals(
                    PartitionReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            StepResult detach = report.steps().get(0);
            assertEquals(List.of(StepResult.Status.DONE, 3), List.of(detach.status(), detach.attempts()));
            assertEquals("ALTER TABLE \"Runs\" DETACH PARTITION \"Runs_2025_12\" FINALIZE", detach.sql());
            assertEquals(2, detach.retries().size());
            assertTrue(
                    detach.retries().stream().allMatch(r -> r.endsWith("lock timeout")),
                    detach.retries().toString());
            assertEquals(List.of("Runs_2025_12"), report.done(PartitionStep.Action.DROP));
            assertEquals(List.of("Runs_2026_03", "Runs_2026_04"), partitions(database));
            assertEquals(List.of("Runs", "Runs_2026_03", "Runs_2026_04"), tables(database, "public"));
        }
    }
}
