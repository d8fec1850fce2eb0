package io.runsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Milvaion preset against Milvaion's real schema (every table, column, key and index of its EF Core
 * model), read from the team's {@code shared/reference/milvaion} folder beside the checkout. A user's clone
 * has no such folder, and then this test skips itself and says why.
 */
class MilvaionReferenceSchemaTest {
    @TempDir
    Path dir;

    @Test
    void presetLeavesExactlyTheExpectedRowsOnMilvaionsRealSchema() throws Exception {
        Optional<Path> reference = ReferenceSchemaConformanceTest.referenceFolder("milvaion");
        assumeTrue(
                reference.isPresent(),
                "skipped: no shared/reference/milvaion folder beside this checkout"
                        + " (it holds Milvaion's real schema; the fixture-based MilvaionPresetTest still runs)");
        String script = Files.readString(reference.get().resolve("schema-postgresql.sql"));
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                for (String statement : ReferenceSchemaConformanceTest.statements(script)) {
                    s.execute(statement);
                }
            }
            // The scenario asserts the dry run and the exact rows left; here, that the sweep ran clean.
            SweepReport sweep = MilvaionScenario.run(database);
            assertFalse(sweep.anyFailed(), sweep.toString());
        }
    }
}
