package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.RowCount;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL the strategy rests on the planner's estimate of the matching rows, which lags the table where
 * rows changed since its statistics were gathered: a role that may not ANALYZE, right after an earlier policy
 * deleted most of the rows this one would take, saw 179,247 estimated where 14,308 matched, and swept the table
 * by block ranges. Where the changes could have left 10% or fewer matching, the planner counts, up to just past
 * that line.
 */
class StaleStatisticsTest {
    /**
     * A database of 100,000 runs, 30,000 of them expired; statistics gathered from every row (so the estimate is
     * exact), autovacuum off.
     */
    private static String runs() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            EngineFixture.create(c, DatabaseKind.POSTGRESQL);
            s.execute("ALTER TABLE run SET (autovacuum_enabled = false)");
        }
        change(
                url,
                "INSERT INTO run (id, finished, status, payload) SELECT g, timestamptz '" + EngineFixture.cutoff()
                        + "' + CASE WHEN g % 10 < 3 THEN interval '-1 day' ELSE interval '1 day' END, 2, 'run ' || g"
                        + " FROM generate_series(1, 100000) AS g",
                100_000);
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("ALTER TABLE run ALTER finished SET STATISTICS 1000");
            s.execute("VACUUM ANALYZE run");
        }
        awaitChanged(url, 0);
        return url;
    }

    private static PurgePlan plan(String url) throws Exception {
        PolicySettings policy = EngineFixture.policy(
                Duration.ofDays(30), List.of(), false, Strategy.AUTO, 50, new RunLimits(0, Duration.ZERO, 1.0));
        try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options());
                Connection c = db.connection()) {
            return new PurgePlanner(db.dialect()).plan(c, policy, EngineFixture.NOW);
        }
    }

    /**
     * Runs {@code change}, and waits until the server's statistics count its rows as changed since the last
     * ANALYZE.
     */
    private static void change(String url, String change, long rows) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            assertEquals(rows, s.executeUpdate(change));
        }
        awaitChanged(url, rows);
    }

    /**
     * Waits until the server's statistics say {@code rows} rows of the run table changed since the last ANALYZE: a
     * session reports what it changed once idle for a while or as it ends, and before PostgreSQL 15 the statistics
     * reach other sessions half a second later or more.
     */
    private static void awaitChanged(String url, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs =
                        s.executeQuery("SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'run'")) {
                    rs.next();
                    if (rs.getLong(1) == rows || System.nanoTime() > deadline) {
                        assertEquals(rows, rs.getLong(1), "rows changed since ANALYZE, as the server counts them");
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void freshStatisticsDecideWithoutACount() throws Exception {
        PurgePlan plan = plan(runs());

        assertEquals(PurgePlan.Strategy.RANGE, plan.strategy());
        assertEquals(new RowCount(30_000, true), plan.matching());
        assertEquals(
                "about 30,000 of 100,000 rows (30.0%) match: above 10%, one pass over the table beats index"
                        + " lookups",
                plan.strategyReason());
    }

    @Test
    void changesThatCouldLeaveFewMatchingAreCountedAndTheCountDecides() throws Exception {
        String url = runs();
        // Another policy took most of the expired runs; nobody gathered the statistics since.
        change(url, "DELETE FROM run WHERE id % 10 < 3 AND id % 100 >= 10", 27_000);
        PurgePlan plan = plan(url);

        assertEquals(PurgePlan.Strategy.INDEX, plan.strategy());
        assertEquals(RowCount.counted(3_000), plan.matching());
        assertEquals(
                "counted, as 27,000 rows changed since the table's statistics were gathered (they estimated"
                        + " 30,000 matching); about 3,000 of 100,000 rows (3.0%) match: at most 10%, index"
                        + " lookups read less than a pass over the table",
                plan.strategyReason());
    }

    @Test
    void aCountThatPassesTheLineStopsThereAndKeepsTheRanges() throws Exception {
        String url = runs();
        // Recent runs deleted: the changes could have been expired ones, but were not.
        change(url, "DELETE FROM run WHERE id % 20 >= 15", 25_000);
        PurgePlan plan = plan(url);

        assertEquals(PurgePlan.Strategy.RANGE, plan.strategy());
        assertEquals(new RowCount(30_000, true), plan.matching(), "the estimate stands");
        assertEquals(
                "counted, as 25,000 rows changed since the table's statistics were gathered (they estimated"
                        + " 30,000 matching); more than 10,000 of about 100,000 rows (10%) match: above 10%, one"
                        + " pass over the table beats index lookups",
                plan.strategyReason());
    }
}
