package io.runsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Prefect preset against the project's fixture of Prefect's schema, on a real SQLite file and a real
 * PostgreSQL: exactly the rows each policy covers go, with their dependents and cascades, and no others.
 */
class PrefectPresetTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void dryRunChangesNothingAndSweepLeavesExactlyTheRowsNoPolicyCovers(DatabaseKind kind) throws Exception {
        try (Database database = TestDatabases.open(kind, dir)) {
            try (Connection c = database.connection()) {
                PrefectSchema.create(c, SchemaDialect.of(kind));
            }
            // The scenario asserts the dry run and the exact rows left; here, that the sweep ran clean.
            SweepReport sweep = PrefectScenario.run(database);
            assertFalse(sweep.anyFailed(), sweep.toString());
        }
    }
}
