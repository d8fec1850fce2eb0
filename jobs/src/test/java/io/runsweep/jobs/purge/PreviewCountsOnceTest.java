package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.RowCount;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A dry run does not count the policy's own rows again when planning already counted them (SQLite always, PostgreSQL
 * below 10,000 estimated): on a large table that count was a pass over it. Shown by a row that comes to match
 * between the planning and the dry run: the dry run reports the planning's count.
 */
class PreviewCountsOnceTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theDryRunReportsTheCountMadeWhilePlanning(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE job (id BIGINT PRIMARY KEY, ended "
                        + (kind == DatabaseKind.SQLITE ? "DATETIME" : "timestamptz") + ")");
                s.execute("CREATE INDEX ix_job__ended ON job (ended)");
            }
            jobs(db, 1, 60, 40);
            jobs(db, 61, 40, 3);
            PolicySettings policy = TestSettings.load(
                            dir, "runsweep.policies.jobs { table = job, time-column = ended, older-than = 30d }")
                    .policies()
                    .get("jobs");
            PurgePlan plan;
            try (Connection c = db.connection()) {
                plan = new PurgePlanner(db.dialect()).plan(c, policy, NOW);
            }
            jobs(db, 101, 5, 40);

            PolicyReport preview;
            try (Database readOnly = TestDatabases.reopenReadOnly(db)) {
                preview = new PurgePreview(readOnly, false).preview(plan);
            }

            assertEquals(RowCount.counted(60), plan.matching());
            assertEquals(60, preview.rows("job"), preview.error().orElse(""));
        }
    }

    private static void jobs(Database db, int first, int n, int daysAgo) throws Exception {
        try (Connection c = db.connection()) {
            TestRows rows = new TestRows(c);
            for (long id = first; id < first + n; id++) {
                rows.insert("job", "id", id, "ended", NOW.minus(Duration.ofDays(daysAgo)));
            }
        }
    }
}
