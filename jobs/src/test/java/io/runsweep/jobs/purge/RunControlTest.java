package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.BatchSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The over-deletion guard, run bounds, and a stop between batches, on both databases. */
class RunControlTest {
    static final RunLimits NO_LIMITS = new RunLimits(0, Duration.ZERO, 1.0);

    @TempDir
    Path dir;

    private Database filled(DatabaseKind kind) throws Exception {
        Database db = TestDatabases.open(kind, dir);
        try (Connection c = db.connection()) {
            EngineFixture.create(c, kind);
            EngineFixture.fill(c, kind, 3000, 42);
        }
        return db;
    }

    private static long scalar(Database db, String sql) throws Exception {
        try (Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long matching(Database db, DatabaseKind kind, int days) throws Exception {
        String cutoff = kind == DatabaseKind.SQLITE
                ? "'"
                        + EngineFixture.NOW
                                .minus(Duration.ofDays(days))
                                .toString()
                                .replace("T", " ")
                                .replace("Z", ".000000")
                        + "'"
                : "'" + EngineFixture.NOW.minus(Duration.ofDays(days)) + "'";
        return scalar(db, "SELECT count(*) FROM run WHERE finished < " + cutoff);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void refusesToDeleteMoreThanMaxFractionUnlessAllowed(DatabaseKind kind) throws Exception {
        try (Database db = filled(kind)) {
            long matching = matching(db, kind, 10);
            PolicySettings policy = EngineFixture.policy(
                    Duration.ofDays(10), List.of(), false, Strategy.AUTO, 100, new RunLimits(0, Duration.ZERO, 0.5));

            PolicyReport refused =
                    EngineFixture.run(db, policy, EngineFixture.options(false), new StopSignal(), PurgeProgress.NONE);

            assertEquals(PolicyReport.Outcome.FAILED, refused.outcome());
            assertEquals(
                    Optional.of(String.format(
                            Locale.ROOT,
                            "refused: it would delete %.1f%% of \"run\" (about %,d of 3,000 rows) and %.1f%% of"
                                    + " \"run_log\" (about %,d of 6,000 rows) and %.1f%% of \"step\" (about %,d of"
                                    + " 3,000 rows), more than max-fraction 0.50. If that is intended, raise"
                                    + " runsweep.policies.runs.max-fraction, or let it through once: set"
                                    + " runsweep.policies.runs.allow-large-until = \"2026-06-02T00:00:00Z\" (it lapses"
                                    + " by itself), or pass --allow-large to runsweep sweep",
                            100.0 * matching / 3000,
                            matching,
                            100.0 * matching / 3000,
                            2 * matching,
                            100.0 * matching / 3000,
                            matching)),
                    refused.error());
            assertEquals(3000, scalar(db, "SELECT count(*) FROM run"));

            PolicyReport allowed =
                    EngineFixture.run(db, policy, EngineFixture.options(true), new StopSignal(), PurgeProgress.NONE);
            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    allowed.outcome(),
                    allowed.error().orElse(""));
            assertEquals(matching, allowed.rows("run"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void maxRowsStopsTheRunAndTheNextRunCarriesOn(DatabaseKind kind) throws Exception {
        try (Database db = filled(kind)) {
            long matching = matching(db, kind, 30);
            PolicySettings bounded = EngineFixture.policy(
                    Duration.ofDays(30), List.of(), false, Strategy.INDEX, 40, new RunLimits(100, Duration.ZERO, 1.0));

            PolicyReport first =
                    EngineFixture.run(db, bounded, EngineFixture.options(false), new StopSignal(), PurgeProgress.NONE);

            assertEquals(100, first.rows("run"));
            assertEquals(200, first.rows("run_log"));
            assertEquals(Optional.of(new PolicyReport.Stop("max-rows 100", matching - 100)), first.stop());
            assertEquals(3000 - 100, scalar(db, "SELECT count(*) FROM run"));

            PolicyReport second = EngineFixture.run(
                    db,
                    EngineFixture.policy(Duration.ofDays(30), List.of(), false, Strategy.INDEX, 40, NO_LIMITS),
                    EngineFixture.options(false),
                    new StopSignal(),
                    PurgeProgress.NONE);
            assertEquals(Optional.empty(), second.stop());
            assertEquals(matching - 100, second.rows("run"));
            assertEquals(3000 - matching, scalar(db, "SELECT count(*) FROM run"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void maxRuntimeStopsAfterTheBatchUnderWay(DatabaseKind kind) throws Exception {
        try (Database db = filled(kind)) {
            long matching = matching(db, kind, 30);
            PolicySettings policy = EngineFixture.policy(
                    Duration.ofDays(30),
                    List.of(),
                    false,
                    Strategy.INDEX,
                    10,
                    new RunLimits(0, Duration.ofSeconds(1), 1.0));
            RunOptions tenAtATime = new RunOptions(
                    Duration.ofMillis(300),
                    new BatchSettings(Duration.ofMillis(20), Duration.ZERO, 10, 10, 0, Duration.ZERO),
                    false);
            // The first batch outlasts the bound (its listener is called on the run's thread once it commits), so
            // the bound is read before the second: a fixed 1 ms bound let a slow machine stop before the first.
            PurgeProgress firstBatchOutlastsTheBound = event -> {
                if (event.batches() == 1) {
                    try {
                        Thread.sleep(1100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            PolicyReport report =
                    EngineFixture.run(db, policy, tenAtATime, new StopSignal(), firstBatchOutlastsTheBound);

            assertEquals(1, report.batches());
            assertEquals(10, report.rows("run"));
            assertEquals(20, report.rows("run_log"));
            assertEquals(Optional.of(new PolicyReport.Stop("max-runtime 1 s", matching - 10)), report.stop());
            assertEquals(3000 - 10, scalar(db, "SELECT count(*) FROM run"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aStopEndsTheRunBetweenBatchesAndLeavesNoHalfBatch(DatabaseKind kind) throws Exception {
        try (Database db = filled(kind)) {
            for (Strategy strategy : List.of(Strategy.INDEX, Strategy.BLOCK_RANGE)) {
                StopSignal stop = new StopSignal();
                PurgeProgress stopAfterTwo = event -> {
                    if (event.batches() == 2) {
                        stop.raise("the test's stop");
                    }
                };
                long before = scalar(db, "SELECT count(*) FROM run");
                PolicyReport report = EngineFixture.run(
                        db,
                        EngineFixture.policy(Duration.ofDays(5), List.of(), false, strategy, 50, NO_LIMITS),
                        EngineFixture.options(true),
                        stop,
                        stopAfterTwo);

                assertEquals(2, report.batches(), strategy.configName());
                assertEquals("the test's stop", report.stop().orElseThrow().reason());
                assertEquals(before - report.rows("run"), scalar(db, "SELECT count(*) FROM run"));
                assertEquals(
                        0,
                        scalar(db, "SELECT count(*) FROM run_log WHERE run_id NOT IN (SELECT id FROM run)"),
                        "a log line outlived its run");
                assertEquals(
                        0,
                        scalar(
                                db,
                                "SELECT count(*) FROM run r WHERE (SELECT count(*) FROM run_log l"
                                        + " WHERE l.run_id = r.id) <> 2"),
                        "a run lost its log lines");
                assertEquals(0, scalar(db, "SELECT count(*) FROM step WHERE run_id NOT IN (SELECT id FROM run)"));
            }
        }
    }
}
