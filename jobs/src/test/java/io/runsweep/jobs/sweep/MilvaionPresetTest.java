package io.runsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.runsweep.jobs.seed.MilvaionSchema;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Milvaion preset against the project's fixture of Milvaion's schema on a real PostgreSQL: exactly the
 * rows each policy covers go, with their cascades, and no others.
 */
class MilvaionPresetTest {
    @TempDir
    Path dir;

    @Test
    void dryRunChangesNothingAndSweepLeavesExactlyTheRowsNoPolicyCovers() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = database.connection()) {
                MilvaionSchema.create(c);
                MilvaionSchema.create(c); // idempotent: a second run changes nothing and does not fail
            }
            // The scenario asserts the dry run and the exact rows left; here, that the sweep ran clean.
            SweepReport sweep = MilvaionScenario.run(database);
            assertFalse(sweep.anyFailed(), sweep.toString());
        }
    }
}
