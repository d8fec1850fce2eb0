package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each strategy deletes exactly the rows one hand-written DELETE deletes, with their dependents and
 * cascades, on random data and random predicates, on both databases.
 */
class StrategyEquivalenceTest {
    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (DatabaseKind kind : DatabaseKind.values()) {
            for (Strategy strategy : List.of(Strategy.INDEX, Strategy.BLOCK_RANGE, Strategy.AUTO)) {
                for (long seed = 1; seed <= 3; seed++) {
                    cases.add(Arguments.of(kind, strategy, seed));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("cases")
    void strategyDeletesExactlyWhatOneDeleteDeletes(DatabaseKind kind, Strategy strategy, long seed) throws Exception {
        Random random = new Random(seed * 7919);
        Duration olderThan = Duration.ofDays(1 + random.nextInt(99));
        List<Object> statuses = new ArrayList<>();
        for (long status = 0; status < 5; status++) {
            if (random.nextBoolean()) {
                statuses.add(status);
            }
        }
        boolean parentless = random.nextBoolean();
        PolicySettings policy = EngineFixture.policy(
                olderThan,
                statuses,
                parentless,
                strategy,
                10 + random.nextInt(400),
                new RunLimits(0, Duration.ZERO, 1.0));

        Path engineDir = Files.createDirectories(dir.resolve("engine"));
        Path referenceDir = Files.createDirectories(dir.resolve("reference"));
        try (Database engine = TestDatabases.open(kind, engineDir);
                Database reference = TestDatabases.open(kind, referenceDir)) {
            for (Database db : List.of(engine, reference)) {
                try (Connection c = db.connection()) {
                    EngineFixture.create(c, kind);
                    EngineFixture.fill(c, kind, 3000, seed);
                }
            }
            PolicyReport report = EngineFixture.run(
                    engine, policy, EngineFixture.options(false), new StopSignal(), PurgeProgress.NONE);
            long deleted = oneDelete(reference, kind, EngineFixture.NOW.minus(olderThan), statuses, parentless);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            assertEquals(deleted, report.rows("run"), report.notes().toString());
            assertEquals(2 * deleted, report.rows("run_log"));
            for (String table : List.of("run", "run_log", "step")) {
                assertEquals(EngineFixture.ids(reference, table), EngineFixture.ids(engine, table), table);
            }
        }
    }

    /** The reference: one DELETE of the runs, then their logs by an anti-join, as a person would write it. */
    private static long oneDelete(
            Database db, DatabaseKind kind, Instant cutoff, List<Object> statuses, boolean parentless)
            throws Exception {
        StringJoiner marks = new StringJoiner(", ", " AND status IN (", ")");
        statuses.forEach(s -> marks.add("?"));
        String sql = "DELETE FROM run WHERE finished < ?" + (statuses.isEmpty() ? "" : marks.toString())
                + (parentless ? " AND parent IS NULL" : "");
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement(sql)) {
            if (kind == DatabaseKind.SQLITE) {
                s.setString(
                        1,
                        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                                .withZone(ZoneOffset.UTC)
                                .format(cutoff));
            } else {
                s.setObject(1, cutoff.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            }
            for (int i = 0; i < statuses.size(); i++) {
                s.setLong(i + 2, (Long) statuses.get(i));
            }
            int deleted = s.executeUpdate();
            c.createStatement().executeUpdate("DELETE FROM run_log WHERE run_id NOT IN (SELECT id FROM run)");
            return deleted;
        }
    }
}
