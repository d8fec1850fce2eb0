package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On PostgreSQL, where changed rows can escape the batches, a run counts what still matches after them, and says how
 * many rows remain when they keep coming back as fast as it deletes them.
 */
class FinalPassTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theDryRunShowsTheFinalCountWhereARealRunMakesIt(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            try (Connection c = db.connection()) {
                EngineFixture.create(c, kind);
                EngineFixture.fill(c, kind, 300, 7);
            }
            PolicySettings policy = EngineFixture.policy(
                    Duration.ofDays(30),
                    List.of(),
                    false,
                    Strategy.BLOCK_RANGE,
                    50,
                    new RunLimits(0, Duration.ZERO, 1.0));
            PurgePlan plan;
            try (Connection c = db.connection()) {
                plan = new PurgePlanner(db.dialect()).plan(c, policy, EngineFixture.NOW);
            }

            PolicyReport preview = new PurgePreview(db, true).preview(plan);

            List<String> purposes = preview.statements().stream()
                    .map(PolicyReport.PlannedStatement::purpose)
                    .toList();
            List<String> sql = preview.statements().stream()
                    .map(PolicyReport.PlannedStatement::sql)
                    .toList();
            if (kind == DatabaseKind.POSTGRESQL) {
                assertEquals(
                        List.of(
                                "after the batches, count the rows that still match (a row changed while they ran can"
                                        + " escape them); any left go in more batches",
                                "which find their rows by index, up to 50 at a time"),
                        purposes.subList(1, 3));
                assertEquals(
                        List.of(plan.count().display(), plan.indexedDelete().display()), sql.subList(1, 3));
            } else {
                assertTrue(purposes.stream().noneMatch(p -> p.startsWith("after the batches")), purposes.toString());
            }
        }
    }

    @Test
    void aRunThatCannotCatchUpSaysHowManyRowsRemain() throws Exception {
        DatabaseKind kind = DatabaseKind.POSTGRESQL;
        try (Database db = TestDatabases.open(kind, dir)) {
            try (Connection c = db.connection()) {
                EngineFixture.create(c, kind);
                EngineFixture.fill(c, kind, 500, 7);
            }
            PolicySettings policy = EngineFixture.policy(
                    Duration.ofDays(30), List.of(), false, Strategy.INDEX, 50, new RunLimits(0, Duration.ZERO, 1.0));
            AtomicInteger written = new AtomicInteger();
            // The application writes one more expired run after every batch the sweep commits.
            PurgeProgress writer = event -> {
                try (Connection c = db.connection()) {
                    new TestRows(c)
                            .insert(
                                    "run",
                                    "id",
                                    10_000L + written.incrementAndGet(),
                                    "finished",
                                    EngineFixture.NOW.minus(Duration.ofDays(40)),
                                    "status",
                                    1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };

            PolicyReport report = EngineFixture.run(db, policy, EngineFixture.options(true), new StopSignal(), writer);

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertEquals(
                    "; stopped at the final check: rows still matched after 3 passes by index,"
                            + " about 1 matching rows remain for the next run",
                    Summaries.stop(report));
            assertEquals(1, report.stop().orElseThrow().remaining());
            assertTrue(report.notes().contains("1 matching row was left after the batches; a pass by index followed"));
            try (Connection c = db.connection()) {
                assertEquals(
                        List.of(10_000L + written.get()),
                        new TestRows(c)
                                .ids("run").stream()
                                        .map(Long::parseLong)
                                        .filter(id -> id > 10_000)
                                        .toList());
            }
        }
    }
}
