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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Prefect preset against Prefect's real schema (a pg_dump after all its migrations, and its SQLite
 * schema), read from the team's {@code shared/reference} folder beside the checkout. A user's clone has
 * no such folder, and then this test skips itself and says why.
 */
class ReferenceSchemaConformanceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void presetLeavesExactlyTheExpectedRowsOnPrefectsRealSchema(DatabaseKind kind) throws Exception {
        Optional<Path> reference = referenceFolder();
        assumeTrue(
                reference.isPresent(),
                "skipped: no shared/reference/prefect folder beside this checkout"
                        + " (it holds Prefect's real schema; the fixture-based PrefectPresetTest still runs)");
        Path schema =
                reference.get().resolve(kind == DatabaseKind.SQLITE ? "schema-sqlite.sql" : "schema-postgresql.sql");
        try (Database database = TestDatabases.open(kind, dir)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                for (String statement : statements(Files.readString(schema))) {
                    s.execute(statement);
                }
                if (kind == DatabaseKind.POSTGRESQL) {
                    // pg_dump empties search_path for the session, and the pool would hand this connection on.
                    s.execute("RESET search_path");
                }
            }
            // The scenario asserts the dry run and the exact rows left; here, that the sweep ran clean.
            SweepReport sweep = PrefectScenario.run(database);
            assertFalse(sweep.anyFailed(), sweep.toString());
        }
    }

    static Optional<Path> referenceFolder() {
        return referenceFolder("prefect");
    }

    /** {@code shared/reference/<scheduler>} beside the checkout (or beside one of its parent folders). */
    static Optional<Path> referenceFolder(String scheduler) {
        Path here = Path.of("").toAbsolutePath();
        for (int up = 0; here != null && up < 4; up++, here = here.getParent()) {
            Path candidate = here.resolve("../shared/reference/" + scheduler).normalize();
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Statements end with ';' at the end of a line; neither schema file has function bodies. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.startsWith("--") || (current.length() == 0 && line.isBlank())) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                statements.add(current.toString());
                current.setLength(0);
            }
        }
        return statements;
    }
}
