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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A table whose rows refer to a parent row of the same table, {@code ON DELETE CASCADE} (a job and its sub-jobs):
 * deleting an old parent would take its young children, rows the policy itself keeps. The run is refused up front,
 * naming the key, the counts and the fix; the fix ({@code unreferenced-by} on the table itself) deletes the old rows
 * nothing refers to, so old children go first and their parents in the next run, and never a young row.
 */
class SelfCascadeTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String POLICY = "runsweep.policies.jobs { table = job, time-column = ended, older-than = 30d }";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void oldParentsWithYoungChildrenAreRefusedUpFrontNamingKeyCountsAndFix(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            seed(db, kind);

            PolicyReport preview;
            try (Database readOnly = TestDatabases.reopenReadOnly(db)) {
                preview = run(readOnly, true, POLICY);
            }
            PolicyReport refused = run(db, false, POLICY);

            assertEquals(PolicyReport.Outcome.FAILED, refused.outcome());
            assertEquals(
                    PolicyReport.Outcome.PREVIEWED,
                    preview.outcome(),
                    preview.error().orElse(""));
            assertTrue(
                    preview.notes()
                            .contains("a real run would REFUSE this policy: "
                                    + refused.error().orElseThrow().substring("refused: ".length())),
                    preview.notes().toString());
            assertEquals(
                    List.of(
                            new PolicyReport.TableRows("job", 13, PolicyReport.Reach.MATCHED, ""),
                            new PolicyReport.TableRows(
                                    "job",
                                    8,
                                    PolicyReport.Reach.CASCADE,
                                    "fk_job__parent_id (parent_id ON DELETE CASCADE)")),
                    preview.tables());
            assertEquals(
                    "refused: its cascade through foreign key fk_job__parent_id (\"job\".\"parent_id\" ON DELETE"
                            + " CASCADE) would delete 8 \"job\" rows, 5 of which policy jobs keeps (jobs deletes only"
                            + " rows whose \"ended\" is older than 30d). Add unreferenced-by = [{table = \"job\", column"
                            + " = \"parent_id\"}] to policy jobs (" + dir.resolve("runsweep.conf") + ": 1), so that it"
                            + " deletes only \"job\" rows no \"job\" row refers to; or set allow-cascade-conflicts ="
                            + " true on it to let its cascades take them",
                    refused.error().orElseThrow());
            assertEquals(0, refused.batches());
            assertEquals(20, count(db, "SELECT count(*) FROM job"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theFixDeletesEveryOldRowWithoutYoungChildrenAndNoYoungRow(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            seed(db, kind);

            String fix = "runsweep.policies.jobs.unreferenced-by = [{table = job, column = parent_id}]";

            PolicyReport first = run(db, false, POLICY, fix);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    first.outcome(),
                    first.error().orElse(""));
            // The parents 6-8 match once their old children are gone. PostgreSQL's final count finds them and takes
            // them in the same run; SQLite's batches need no final count, so they go in the next run.
            boolean sameRun = kind == DatabaseKind.POSTGRESQL;
            List<Long> left = List.of(1L, 2L, 3L, 4L, 5L, 11L, 12L, 13L, 14L, 15L, 19L, 20L);
            assertEquals(
                    sameRun ? 8 : 5,
                    first.rows("job"),
                    "the old rows nothing refers to: 9, 10 and the old children 16-18 (and then their parents 6-8)");
            assertEquals(
                    sameRun ? left : List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 11L, 12L, 13L, 14L, 15L, 19L, 20L),
                    ids(db));

            PolicyReport next = run(db, false, POLICY, fix);

            assertEquals(sameRun ? 0 : 3, next.rows("job"), "their parents 6-8, which nothing refers to now");
            assertEquals(left, ids(db), "the old parents of young children, and every young row, are left");
        }
    }

    /**
     * Jobs 1-10 ended 40 days ago; 11-15 (1 day ago) are children of 1-5; 16-18 (35 days ago) are children of 6-8;
     * 19 and 20 ended a day ago.
     */
    private static void seed(Database db, DatabaseKind kind) throws Exception {
        String time = kind == DatabaseKind.SQLITE ? "DATETIME" : "timestamptz";
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE job (id BIGINT PRIMARY KEY, parent_id BIGINT, ended " + time + ","
                    + " CONSTRAINT fk_job__parent_id FOREIGN KEY (parent_id) REFERENCES job (id) ON DELETE CASCADE)");
            s.execute("CREATE INDEX ix_job__ended ON job (ended)");
            s.execute("CREATE INDEX ix_job__parent_id ON job (parent_id)");
            TestRows rows = new TestRows(c);
            for (long id = 1; id <= 20; id++) {
                Long parent = id > 10 && id <= 18 ? id - 10 : null;
                int daysAgo = id <= 10 ? 40 : id <= 15 ? 1 : id <= 18 ? 35 : 1;
                if (parent == null) {
                    rows.insert("job", "id", id, "ended", NOW.minus(Duration.ofDays(daysAgo)));
                } else {
                    rows.insert("job", "id", id, "parent_id", parent, "ended", NOW.minus(Duration.ofDays(daysAgo)));
                }
            }
        }
    }

    private static List<Long> ids(Database db) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM job ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private PolicyReport run(Database db, boolean dryRun, String... lines) throws Exception {
        Settings settings = TestSettings.load(dir, lines);
        return new Sweep(db, TestSettings.runOptions(), Clock.fixed(NOW, ZoneOffset.UTC), new StopSignal())
                .run(List.of(settings.policies().get("jobs")), dryRun, PurgeProgress.NONE)
                .policies()
                .get(0);
    }
}
