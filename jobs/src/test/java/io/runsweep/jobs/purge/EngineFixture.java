package io.runsweep.jobs.purge;

import io.runsweep.config.BatchSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.StatusFilter;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A run table with a dependent table (no foreign key) and a cascading child, filled with random rows:
 * times spread over 100 days, some NULL, statuses 0-4, some rows with a parent.
 */
final class EngineFixture {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final DateTimeFormatter SQLITE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private EngineFixture() {}

    static void create(Connection c, DatabaseKind kind) throws Exception {
        String time = kind == DatabaseKind.SQLITE ? "DATETIME" : "timestamptz";
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE run (id BIGINT PRIMARY KEY, finished " + time + ", status INTEGER NOT NULL,"
                    + " parent BIGINT, payload VARCHAR(200))");
            s.execute("CREATE INDEX ix_run_finished ON run (finished)");
            s.execute("CREATE TABLE run_log (id BIGINT PRIMARY KEY, run_id BIGINT NOT NULL, line VARCHAR(200))");
            s.execute("CREATE INDEX ix_run_log_run_id ON run_log (run_id)");
            s.execute(
                    "CREATE TABLE step (id BIGINT PRIMARY KEY, run_id BIGINT NOT NULL REFERENCES run (id) ON DELETE CASCADE)");
            s.execute("CREATE INDEX ix_step_run_id ON step (run_id)");
        }
    }

    /** {@code rows} runs, each with two log lines and one step, from a seeded generator. */
    static void fill(Connection c, DatabaseKind kind, int rows, long seed) throws Exception {
        Random random = new Random(seed);
        c.setAutoCommit(false);
        try (PreparedStatement run = c.prepareStatement("INSERT INTO run VALUES (?, ?, ?, ?, ?)");
                PreparedStatement log = c.prepareStatement("INSERT INTO run_log VALUES (?, ?, ?)");
                PreparedStatement step = c.prepareStatement("INSERT INTO step VALUES (?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                run.setLong(1, i);
                if (random.nextInt(20) == 0) {
                    run.setNull(2, kind == DatabaseKind.SQLITE ? Types.VARCHAR : Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    Instant at = NOW.minusSeconds(random.nextInt(100 * 86_400));
                    if (kind == DatabaseKind.SQLITE) {
                        run.setString(2, SQLITE_TIME.format(at));
                    } else {
                        run.setObject(2, at.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                    }
                }
                run.setInt(3, random.nextInt(5));
                if (random.nextInt(4) == 0) {
                    run.setLong(4, 1 + random.nextInt(rows));
                } else {
                    run.setNull(4, Types.BIGINT);
                }
                run.setString(5, "payload " + i);
                run.addBatch();
                for (int j = 0; j < 2; j++) {
                    log.setLong(1, 2L * i + j);
                    log.setLong(2, i);
                    log.setString(3, "line " + j);
                    log.addBatch();
                }
                step.setLong(1, i);
                step.setLong(2, i);
                step.addBatch();
                if (i % 1000 == 0 || i == rows) {
                    run.executeBatch();
                    log.executeBatch();
                    step.executeBatch();
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }

    static PolicySettings policy(
            Duration olderThan,
            List<Object> statuses,
            boolean parentless,
            Strategy strategy,
            int batchSize,
            RunLimits limits) {
        return new PolicySettings(
                "runs",
                "run",
                "finished",
                Optional.empty(),
                olderThan,
                statuses.isEmpty() ? Optional.empty() : Optional.of(new StatusFilter("status", statuses)),
                parentless ? List.of("parent") : List.of(),
                List.of(),
                Optional.empty(),
                List.of(new TableColumn("run_log", "run_id")),
                batchSize,
                limits,
                strategy,
                true,
                "0 0 * * * ?",
                "test.conf: 1");
    }

    /** Runs older than 30 days, swept by block ranges of about 50 rows. */
    static PolicySettings blockRange() {
        return policy(
                Duration.ofDays(30), List.of(), false, Strategy.BLOCK_RANGE, 50, new RunLimits(0, Duration.ZERO, 1.0));
    }

    /** The cutoff of a 30-day policy at {@link #NOW}. */
    static OffsetDateTime cutoff() {
        return NOW.minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC);
    }

    static RunOptions options(boolean allowLarge) {
        return new RunOptions(
                Duration.ofMillis(300),
                new BatchSettings(Duration.ofMillis(20), Duration.ZERO, 10, 5000, 5, Duration.ofMillis(50)),
                allowLarge);
    }

    static PolicyReport run(
            Database db, PolicySettings policy, RunOptions options, StopSignal stop, PurgeProgress progress)
            throws Exception {
        PurgePlan plan;
        try (Connection c = db.connection()) {
            plan = new PurgePlanner(db.dialect()).plan(c, policy, NOW);
        }
        return new PurgeRunner(db, options, stop).run(plan, progress);
    }

    /** Ids left in a table, in order. */
    static List<Long> ids(Database db, String table) throws Exception {
        try (Connection c = db.connection()) {
            return new TestRows(c)
                    .ids(table).stream().map(Long::parseLong).sorted().toList();
        }
    }
}
