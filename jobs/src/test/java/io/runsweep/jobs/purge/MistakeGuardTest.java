package io.runsweep.jobs.purge;

import static io.runsweep.jobs.PrefectHistory.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the guard still refuses once a backlog of 98% old rows drains unattended: what is almost surely a
 * mistake. A cutoff that would empty a table (its own, or one its cascade reaches), a cutoff later than the
 * database's clock, a time column in another unit. Each is refused, nothing deleted, and allow-large-until lets it
 * through once: after that time, it is refused again.
 */
class MistakeGuardTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String POLICY = "runsweep.policies.jobs { table = job, time-column = ended, older-than = 30d }";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCutoffThatWouldEmptyATableIsRefusedUntilAllowedOnce(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            create(db, kind);
            jobs(db, 1, 10, 40);

            PolicyReport refused = run(db, NOW, POLICY);

            assertEquals(
                    "refused: it would delete every row of \"job\". That is almost surely a mistake (an older-than"
                            + " too short, a time column in another unit, a clock that is wrong). If it is intended, let"
                            + " it through once: set runsweep.policies.jobs.allow-large-until = \"2026-06-02T00:00:00Z\""
                            + " (it lapses by itself), or pass --allow-large to runsweep sweep",
                    refused.error().orElseThrow());
            assertEquals(10, count(db, "SELECT count(*) FROM job"));

            String once = "runsweep.policies.jobs.allow-large-until = \"2026-06-02\"";
            PolicyReport lapsed = run(db, NOW.plus(Duration.ofDays(2)), POLICY, once);
            assertEquals(PolicyReport.Outcome.FAILED, lapsed.outcome());
            assertTrue(lapsed.error().orElseThrow().startsWith("refused: it would delete every row of \"job\""));
            assertEquals(10, count(db, "SELECT count(*) FROM job"));

            PolicyReport allowed = run(db, NOW, POLICY, once);
            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    allowed.outcome(),
                    allowed.error().orElse(""));
            assertEquals(0, count(db, "SELECT count(*) FROM job"));
        }
    }

    /**
     * Without an index on a PostgreSQL timestamp column, its newest value is not read (that reads the whole table):
     * whether the run would empty the table is then found by looking for one row the policy leaves.
     */
    @Test
    void withNoIndexOnTheTimeColumnAnEmptyingRunIsStillRefusedAndABacklogStillDrains() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            create(db, DatabaseKind.POSTGRESQL);
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                s.execute("DROP INDEX ix_job__ended");
            }
            jobs(db, 1, 10, 40);

            PolicyReport refused = run(db, NOW, POLICY);

            assertEquals(PolicyReport.Outcome.FAILED, refused.outcome());
            assertTrue(
                    refused.error().orElseThrow().startsWith("refused: it would delete every row of \"job\""),
                    refused.error().orElseThrow());
            assertEquals(10, count(db, "SELECT count(*) FROM job"));

            jobs(db, 11, 1, 3);
            PolicyReport drained = run(db, NOW, POLICY);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    drained.outcome(),
                    drained.error().orElse(""));
            assertEquals(10, drained.rows("job"));
            assertEquals(1, count(db, "SELECT count(*) FROM job"));
        }
    }

    /** A backlog is not a mistake: 98 of 100 rows old, the run goes without a flag. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aBacklogOfNearlyEveryRowDrainsWithoutAFlag(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            create(db, kind);
            jobs(db, 1, 98, 300);
            jobs(db, 99, 2, 3);

            PolicyReport report = run(db, NOW, POLICY);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            assertEquals(98, report.rows("job"));
            assertEquals(2, count(db, "SELECT count(*) FROM job"));
        }
    }

    /** The policy's own table keeps a young row, but every step belongs to old jobs: the cascade would empty it. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCascadeThatWouldEmptyItsTableIsRefused(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            create(db, kind);
            jobs(db, 1, 3, 40);
            jobs(db, 4, 1, 3);
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                for (int step = 1; step <= 6; step++) {
                    s.execute("INSERT INTO job_step VALUES (" + step + ", " + (1 + step % 3) + ")");
                }
            }

            PolicyReport refused = run(db, NOW, POLICY);

            assertTrue(
                    refused.error()
                            .orElseThrow()
                            .startsWith("refused: it would delete every row of \"job_step\". That is almost surely a"
                                    + " mistake"),
                    refused.error().orElseThrow());
            assertEquals(6, count(db, "SELECT count(*) FROM job_step"));
        }
    }

    /** Runsweep's clock a century ahead: every row the database holds would count as old. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCutoffLaterThanTheDatabasesClockIsRefused(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            create(db, kind);
            jobs(db, 1, 5, 40);
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                s.execute("INSERT INTO job (id) VALUES (100)");
            }

            PolicyReport refused = run(db, Instant.parse("2126-06-01T00:00:00Z"), POLICY);

            String error = refused.error().orElseThrow();
            assertTrue(
                    error.startsWith(
                            "refused: its cutoff, 2126-05-02T00:00:00Z, is later than the database's own" + " clock ("),
                    error);
            assertTrue(
                    error.endsWith(
                            "): every row written so far would count as old. That is almost surely a"
                                    + " mistake (an older-than too short, a time column in another unit, a clock that is wrong). If"
                                    + " it is intended, let it through once: set runsweep.policies.jobs.allow-large-until ="
                                    + " \"2126-06-02T00:00:00Z\" (it lapses by itself), or pass --allow-large to runsweep sweep"),
                    error);
            assertEquals(6, count(db, "SELECT count(*) FROM job"));
        }
    }

    /**
     * Minutes since 1970 in an integer column read as seconds: every time lands in 1970, so every row would count
     * as old. (PostgreSQL compares only timestamp columns, so the mistake cannot be made there.)
     */
    @Test
    void aTimeColumnInAnotherUnitIsRefused() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE job (id BIGINT PRIMARY KEY, ended INTEGER)");
                for (int i = 1; i <= 5; i++) {
                    long minutes = NOW.minus(Duration.ofDays(i)).getEpochSecond() / 60;
                    s.execute("INSERT INTO job VALUES (" + i + ", " + minutes + ")");
                }
                s.execute("INSERT INTO job VALUES (6, NULL)");
            }

            PolicyReport refused = run(db, NOW, POLICY);

            assertEquals(
                    "refused: the newest \"ended\" reads as "
                            + Instant.ofEpochSecond(
                                    NOW.minus(Duration.ofDays(1)).getEpochSecond() / 60)
                            + ", before 2000: the column holds time in another unit (milliseconds, microseconds) or"
                            + " is not a time, so every row would count as old. That is almost surely a mistake (an"
                            + " older-than too short, a time column in another unit, a clock that is wrong). If it is"
                            + " intended, let it through once: set runsweep.policies.jobs.allow-large-until ="
                            + " \"2026-06-02T00:00:00Z\" (it lapses by itself), or pass --allow-large to runsweep sweep",
                    refused.error().orElseThrow());
            assertEquals(6, count(db, "SELECT count(*) FROM job"));
        }
    }

    static void create(Database db, DatabaseKind kind) throws Exception {
        String time = kind == DatabaseKind.SQLITE ? "DATETIME" : "timestamptz";
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE job (id BIGINT PRIMARY KEY, ended " + time + ")");
            s.execute("CREATE INDEX ix_job__ended ON job (ended)");
            s.execute("CREATE TABLE job_step (id BIGINT PRIMARY KEY,"
                    + " job_id BIGINT NOT NULL REFERENCES job (id) ON DELETE CASCADE)");
            s.execute("CREATE INDEX ix_job_step__job_id ON job_step (job_id)");
        }
    }

    /** {@code n} jobs from id {@code first}, ended {@code daysAgo} days before {@link #NOW}. */
    static void jobs(Database db, int first, int n, int daysAgo) throws Exception {
        try (Connection c = db.connection()) {
            TestRows rows = new TestRows(c);
            for (long id = first; id < first + n; id++) {
                rows.insert("job", "id", id, "ended", NOW.minus(Duration.ofDays(daysAgo)));
            }
        }
    }

    private PolicyReport run(Database db, Instant now, String... lines) throws Exception {
        Settings settings = TestSettings.load(dir, lines);
        return new Sweep(db, TestSettings.runOptions(), Clock.fixed(now, ZoneOffset.UTC), new StopSignal())
                .run(List.of(settings.policies().get("jobs")), false, PurgeProgress.NONE)
                .policies()
                .get(0);
    }
}
