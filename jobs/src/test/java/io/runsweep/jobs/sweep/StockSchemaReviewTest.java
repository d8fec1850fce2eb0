package io.runsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.review.Finding;
import io.runsweep.jobs.review.Review;
import io.runsweep.jobs.review.ReviewReport;
import io.runsweep.jobs.seed.MilvaionSchema;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code runsweep check} on the schedulers' stock schemas with their presets finds nothing to warn of (it exits 0):
 * Prefect's on SQLite and PostgreSQL and Milvaion's, as their own migrations leave them (the team's reference
 * folder, skipped where it is absent) and as the project's fixtures build them. The scheduler's own indexes are
 * never proposed for dropping, suggested indexes are named as the scheduler names its own, and an index the
 * database would use at scale counts though the table is empty.
 */
class StockSchemaReviewTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void prefectsRealSchemaWithItsPresetHasNothingToWarnOf(DatabaseKind kind) throws Exception {
        Path schema = reference("prefect", kind == DatabaseKind.SQLITE ? "schema-sqlite.sql" : "schema-postgresql.sql");
        try (Database database = TestDatabases.open(kind, dir)) {
            load(database, Files.readString(schema));

            ReviewReport report = review(database, "prefect");

            assertNothingToWarnOf(report);
            if (kind == DatabaseKind.SQLITE) {
                // Prefect's SQLite migrations create ix_flow_run__name and ix_flow_run_name_case_insensitive alike.
                assertTrue(
                        text(report)
                                .contains("note: duplicate indexes on \"flow_run\": ix_flow_run__name,"
                                        + " ix_flow_run_name_case_insensitive have the same columns (name) and predicate;"
                                        + " every write updates each of them, and one serves every query. They are the"
                                        + " scheduler's own (runsweep.review.scheduler-indexes) or enforce something, so"
                                        + " none is proposed for dropping: its migrations expect them"),
                        text(report));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void prefectsFixtureWithItsPresetHasNothingToWarnOf(DatabaseKind kind) throws Exception {
        try (Database database = TestDatabases.open(kind, dir)) {
            try (Connection c = database.connection()) {
                PrefectSchema.create(c, SchemaDialect.of(kind));
            }

            assertNothingToWarnOf(review(database, "prefect"));
        }
    }

    @Test
    void milvaionsRealSchemaWithItsPresetHasNothingToWarnOf() throws Exception {
        Path schema = reference("milvaion", "schema-postgresql.sql");
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            load(database, Files.readString(schema));

            ReviewReport report = review(database, "milvaion");

            assertNothingToWarnOf(report);
            String text = text(report);
            assertTrue(text.contains("ok: \"ActivityLogs\": found by index IX_ActivityLogs_ActivityDate"), text);
            assertTrue(
                    text.matches(
                            "(?s).*\nnote: \\d+ of the scheduler's own indexes \\(runsweep.review.scheduler-indexes\\)"
                                    + " have not been used; they are left out: its migrations expect them(\n.*)?"),
                    text);
            assertTrue(
                    text.contains("ok: unreferenced-by \"JobOccurrences\".\"WorkflowRunId\": found by index"
                            + " IX_JobOccurrences_WorkflowRunId"),
                    text);
            assertTrue(
                    text.contains("fix: CREATE INDEX CONCURRENTLY \"IX_WorkflowRuns_EndTime\" ON \"WorkflowRuns\""
                            + " (\"EndTime\");"),
                    text);
        }
    }

    @Test
    void milvaionsFixtureWithItsPresetHasNothingToWarnOf() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            try (Connection c = database.connection()) {
                MilvaionSchema.create(c);
            }

            ReviewReport report = review(database, "milvaion");

            assertNothingToWarnOf(report);
            assertFalse(text(report).contains("ix_"), "suggested names follow Milvaion's IX_<Table>_<Column>");
        }
    }

    private static void assertNothingToWarnOf(ReviewReport report) {
        assertEquals(0, report.count(Finding.Severity.WARNING), text(report));
        assertEquals(0, report.count(Finding.Severity.ERROR), text(report));
        assertFalse(text(report).contains("DROP INDEX"), text(report));
    }

    private static String text(ReviewReport report) {
        return report.findings().stream()
                .map(f -> f.severity().name().toLowerCase(java.util.Locale.ROOT) + ": " + f.message()
                        + f.fix().map(x -> " fix: " + x).orElse(""))
                .collect(Collectors.joining("\n"));
    }

    private static ReviewReport review(Database database, String preset) throws Exception {
        Settings settings =
                SettingsLoader.load(Optional.empty(), Map.of("RUNSWEEP_PRESET", preset), c -> Optional.empty());
        return new Review(database, settings, CLOCK).run();
    }

    private static Path reference(String scheduler, String file) {
        Optional<Path> folder = ReferenceSchemaConformanceTest.referenceFolder(scheduler);
        assumeTrue(
                folder.isPresent(),
                "skipped: no shared/reference/" + scheduler + " folder beside this checkout (it holds the real schema;"
                        + " the fixture-based tests of this class still run)");
        return folder.get().resolve(file);
    }

    private static void load(Database database, String script) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            for (String statement : ReferenceSchemaConformanceTest.statements(script)) {
                s.execute(statement);
            }
            if (database.kind() == DatabaseKind.POSTGRESQL) {
                s.execute("RESET search_path");
            }
        }
    }
}
