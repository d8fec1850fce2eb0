package io.runsweep.jobs.purge;

import static io.runsweep.jobs.PrefectHistory.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Queries;
import io.runsweep.sql.TableName;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a run would empty a table it reaches, judged on PostgreSQL without reading the table when its last
 * blocks hold a row the run leaves (the newest rows of a table written in time order), and by counting when they
 * do not. The answer is the same either way; what is read differs, and is measured by the server's own count of
 * the heap blocks the measuring transaction fetched.
 */
class EmptiedTableProbeTest {
    static final String POLICY = "runsweep.policies.jobs { table = job, time-column = ended, older-than = 30d,"
            + " dependents = [{table = job_log, column = job_id}] }";

    /** 1,000 jobs, 970 of them 40 days old: 97% of the steps and log lines go, more than the 90% that is checked. */
    static final int JOBS = 1000;

    static final int OLD_JOBS = 970;

    /** Steps and log lines per job: 120,000 of each, above the 100,000 rows under which reached rows are counted. */
    static final int PER_JOB = 120;

    @TempDir
    Path dir;

    @Test
    void rowsTheRunLeavesAtTheEndOfEachReachedTableSettleItWithoutCountingThem() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            seed(db, "i");

            Measured measured = measure(db);

            assertEquals(List.of(), measured.preflight.emptied());
            assertEquals(
                    List.of("job_log about", "job_step about"),
                    measured.preflight.reached().stream()
                            .map(r -> r.table() + (r.rows().estimated() ? " about" : ""))
                            .sorted()
                            .toList());
            // The probe reads at most the last 8 blocks of each; counting reads all of them (over 600).
            assertTrue(measured.stepBlocks <= 8, "job_step blocks read: " + measured.stepBlocks);
            assertTrue(measured.logBlocks <= 8, "job_log blocks read: " + measured.logBlocks);
        }
    }

    /** The young job's rows written first: the tables' ends hold only rows the run takes, so they are counted. */
    @Test
    void withoutSuchARowAtTheEndTheTablesAreCountedAndStillNotEmptied() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            seed(db, "-i");

            Measured measured = measure(db);

            assertEquals(List.of(), measured.preflight.emptied());
            long tableBlocks;
            try (Connection c = db.connection()) {
                tableBlocks = Long.parseLong(
                        Queries.single(c, "SELECT pg_relation_size('job_step') / current_setting('block_size')::int"));
            }
            assertTrue(tableBlocks > 600, "job_step blocks: " + tableBlocks);
            assertTrue(measured.stepBlocks >= tableBlocks, "job_step blocks read: " + measured.stepBlocks);
            assertTrue(measured.logBlocks >= tableBlocks, "job_log blocks read: " + measured.logBlocks);
        }
    }

    /** Every reached row old: the probe finds nothing and the count still finds both tables emptied. */
    @Test
    void tablesTheRunWouldEmptyAreStillFound() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            seed(db, "i");
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                s.execute("DELETE FROM job_step WHERE job_id > " + OLD_JOBS);
                s.execute("DELETE FROM job_log WHERE job_id > " + OLD_JOBS);
            }

            Measured measured = measure(db);

            assertEquals(
                    List.of(TableName.parse("job_log"), TableName.parse("job_step")),
                    measured.preflight.emptied().stream()
                            .sorted((a, b) -> a.toString().compareTo(b.toString()))
                            .toList());
        }
    }

    /**
     * The planner still thinks 3% of the jobs young when none is: its estimate of the rows the run takes is under
     * what the tables hold, and the dry run with estimates must still say a real run would refuse.
     */
    @Test
    void aDryRunWithEstimatesSaysARunThatWouldEmptyAReachedTableWouldBeRefused() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            seed(db, "i");
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                s.execute("UPDATE job SET ended = timestamptz '" + MistakeGuardTest.NOW + "' - interval '40 days'");
            }

            PolicyReport report = new Sweep(
                            db,
                            TestSettings.runOptions(),
                            Clock.fixed(MistakeGuardTest.NOW, ZoneOffset.UTC),
                            new StopSignal())
                    .estimatingCounts()
                    .run(List.of(TestSettings.load(dir, POLICY).policies().get("jobs")), true, PurgeProgress.NONE)
                    .policies()
                    .get(0);

            assertEquals(
                    "job 1000 counted",
                    report.tables().get(0).table() + " "
                            + report.tables().get(0).rows()
                            + (report.tables().get(0).estimated() ? " about" : " counted"));
            for (PolicyReport.TableRows reached : report.tables().subList(1, 3)) {
                assertTrue(
                        reached.estimated() && reached.rows() < JOBS * PER_JOB,
                        "an estimate under the 120,000 rows: " + reached);
            }
            String refusal = report.notes().stream()
                    .filter(n -> n.startsWith("a real run would REFUSE"))
                    .findFirst()
                    .orElse("no refusal in " + report.notes());
            assertTrue(
                    refusal.startsWith("a real run would REFUSE this policy: it would delete every row of \"job\";"
                            + " it would delete every row of \"job_log\"; it would delete every row of"
                            + " \"job_step\". That is almost surely a mistake"),
                    refusal);
            assertEquals(120_000, count(db, "SELECT count(*) FROM job_log"));
        }
    }

    private record Measured(Preflight preflight, long stepBlocks, long logBlocks) {}

    /**
     * Measures the plan in one transaction, and reads how many heap blocks of each reached table that fetched: the
     * session's count before and after (it holds the reads of earlier transactions not yet reported, and is reported
     * only between transactions).
     */
    private Measured measure(Database db) throws Exception {
        PolicySettings policy = TestSettings.load(dir, POLICY).policies().get("jobs");
        try (Connection c = db.connection()) {
            PurgePlan plan = new PurgePlanner(db.dialect()).plan(c, policy, MistakeGuardTest.NOW);
            c.setAutoCommit(false);
            try {
                long steps = blocksFetched(c, "job_step");
                long logs = blocksFetched(c, "job_log");
                Preflight preflight = Preflight.measure(db, c, plan, Map.of());
                return new Measured(
                        preflight, blocksFetched(c, "job_step") - steps, blocksFetched(c, "job_log") - logs);
            } finally {
                c.rollback();
            }
        }
    }

    private static long blocksFetched(Connection c, String table) throws Exception {
        return Long.parseLong(Queries.single(c, "SELECT pg_stat_get_xact_blocks_fetched('" + table + "'::regclass)"));
    }

    /**
     * The jobs, with 970 ended 40 days before the run and 30 ended 3 days before; {@code order} places each job's
     * steps and log lines in the heap ({@code i}: in the order of the jobs, the young ones' last; {@code -i}: first).
     */
    private static void seed(Database db, String order) throws Exception {
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE job (id BIGINT PRIMARY KEY, ended timestamptz)");
            s.execute("CREATE INDEX ix_job__ended ON job (ended)");
            s.execute("CREATE TABLE job_step (id BIGINT PRIMARY KEY,"
                    + " job_id BIGINT NOT NULL REFERENCES job (id) ON DELETE CASCADE)");
            s.execute("CREATE INDEX ix_job_step__job_id ON job_step (job_id)");
            s.execute("CREATE TABLE job_log (id BIGINT PRIMARY KEY, job_id BIGINT NOT NULL, line text)");
            s.execute("CREATE INDEX ix_job_log__job_id ON job_log (job_id)");
            s.execute("INSERT INTO job SELECT i, timestamptz '" + MistakeGuardTest.NOW + "' - CASE WHEN i <= "
                    + OLD_JOBS + " THEN interval '40 days' ELSE interval '3 days' END"
                    + " FROM generate_series(1, " + JOBS + ") i");
            String rows = " FROM generate_series(1, " + JOBS + ") i, generate_series(0, " + (PER_JOB - 1) + ") j"
                    + " ORDER BY " + order + ", j";
            s.execute("INSERT INTO job_step SELECT i * " + PER_JOB + " + j, i" + rows);
            s.execute("INSERT INTO job_log SELECT i * " + PER_JOB + " + j, i, 'line'" + rows);
            s.execute("ANALYZE");
        }
    }
}
