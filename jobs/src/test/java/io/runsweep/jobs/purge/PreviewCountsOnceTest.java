package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.RowCount;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A dry run does not count the policy's own rows again when planning already counted them (SQLite always, PostgreSQL
 * below 10,000 estimated): on a large table that count was a pass over it. Shown by a row that comes to match
 * between the planning and the dry run: the dry run reports the planning's count.
 */
class PreviewCountsOnceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theDryRunReportsTheCountMadeWhilePlanning(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            MistakeGuardTest.create(db, kind);
            MistakeGuardTest.jobs(db, 1, 60, 40);
            MistakeGuardTest.jobs(db, 61, 40, 3);
            PolicySettings policy =
                    TestSettings.load(dir, MistakeGuardTest.POLICY).policies().get("jobs");
            PurgePlan plan;
            try (Connection c = db.connection()) {
                plan = new PurgePlanner(db.dialect()).plan(c, policy, MistakeGuardTest.NOW);
            }
            MistakeGuardTest.jobs(db, 101, 5, 40);

            PolicyReport preview;
            try (Database readOnly = TestDatabases.reopenReadOnly(db)) {
                preview = new PurgePreview(readOnly, false).preview(plan);
            }

            assertEquals(RowCount.counted(60), plan.matching());
            assertEquals(60, preview.rows("job"), preview.error().orElse(""));
        }
    }
}
