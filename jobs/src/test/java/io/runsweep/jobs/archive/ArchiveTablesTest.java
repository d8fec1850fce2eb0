package io.runsweep.jobs.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Archive tables over a schema's life, and the archive in a dry run: made on first use, extended by the columns
 * the source gains, refused when a column's type changed; the dry run says where rows would go and how many;
 * archive.keep removes what is older than it.
 */
class ArchiveTablesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theDryRunSaysWhereAndHowManyAndMakesNothing(DatabaseKind kind) throws Exception {
        try (Database database = TestDatabases.open(kind, dir)) {
            ArchiveFixture.seed(database, kind, 60);
            Settings settings = ArchiveFixture.settings(
                    dir, "schema = runsweep_archive, directory = \"" + dir.resolve("archive") + "\"");

            SweepReport preview;
            try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
                preview = new Sweep(readOnly, TestSettings.runOptions(), ArchiveFixture.CLOCK, new StopSignal())
                        .run(List.of(settings.policies().get("flow-runs")), true, PurgeProgress.NONE);
            }

            PolicyReport flowRuns = preview.policies().get(0);
            assertEquals(
                    PolicyReport.Outcome.PREVIEWED,
                    flowRuns.outcome(),
                    flowRuns.error().orElse(""));
            String destination = kind == DatabaseKind.SQLITE
                    ? "tables runsweep_archive__<table> in the same file"
                    : "schema runsweep_archive";
            assertEquals(
                    List.of(destination, "directory " + dir.resolve("archive").resolve("flow-runs")),
                    flowRuns.archive().orElseThrow().destinations());
            assertEquals(flowRuns.totalRows(), flowRuns.archive().orElseThrow().totalRows());
            assertTrue(flowRuns.rows("flow_run") > 0);
            assertTrue(
                    flowRuns.notes().stream()
                            .anyMatch(n -> n.startsWith("before the first batch, for the archive: CREATE TABLE ")),
                    flowRuns.notes().toString());
            assertTrue(
                    flowRuns.statements().get(0).sql().startsWith("SELECT * FROM \"flow_run\""),
                    flowRuns.statements().get(0).sql());
            assertEquals(0, tables(database, "runsweep_archive"), "a dry run makes no archive table");
            assertTrue(Files.notExists(dir.resolve("archive")), "nor any file");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aColumnTheSourceGainedIsAddedAndAChangedTypeIsRefused(DatabaseKind kind) throws Exception {
        try (Database database = TestDatabases.open(kind, dir)) {
            ArchiveFixture.seed(database, kind, 60);
            Settings settings = ArchiveFixture.settings(dir, "schema = runsweep_archive");
            SweepReport first = ArchiveFixture.sweep(database, settings, PurgeProgress.NONE);
            assertEquals(false, first.anyFailed(), first.toString());
            execute(database, "ALTER TABLE log ADD COLUMN extra_note VARCHAR(20)");
            execute(database, "UPDATE log SET extra_note = 'kept'");

            SweepReport upgraded = sweepAt(database, settings, Duration.ofDays(-40));

            assertEquals(false, upgraded.anyFailed(), upgraded.toString());
            String log = kind == DatabaseKind.SQLITE ? "runsweep_archive__log" : "runsweep_archive.log";
            assertTrue(
                    scalar(database, "SELECT count(*) FROM " + log + " WHERE extra_note = 'kept'") > 0,
                    "the new column's values are archived");
            assertEquals(
                    0,
                    scalar(
                            database,
                            "SELECT count(*) FROM " + log + " WHERE extra_note IS NOT NULL AND"
                                    + " runsweep_archived_at < (SELECT max(runsweep_archived_at) FROM " + log + ")"));

            if (kind == DatabaseKind.POSTGRESQL) {
                execute(database, "ALTER TABLE runsweep_archive.artifact ALTER COLUMN key TYPE integer USING 0");
                SweepReport refused = sweepAt(database, settings, Duration.ofDays(-80));
                assertEquals(
                        "archive: column \"key\" of \"runsweep_archive.artifact\" is integer, but \"artifact\".key is"
                                + " now character varying; rename the archive table to keep its rows, and Runsweep"
                                + " makes a new one (policy flow-runs, " + dir.resolve("runsweep.conf") + ": 2)",
                        refused.policies().get(0).error().orElseThrow());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void keepRemovesArchivesOlderThanItFromTablesAndDirectories(DatabaseKind kind) throws Exception {
        Path archive = dir.resolve("archive");
        try (Database database = TestDatabases.open(kind, dir)) {
            ArchiveFixture.seed(database, kind, 80);
            Settings settings = ArchiveFixture.settings(
                    dir, "schema = runsweep_archive, directory = \"" + archive + "\", keep = 30d");
            ArchiveFixture.sweep(database, settings, PurgeProgress.NONE);
            String flowRuns = kind == DatabaseKind.SQLITE ? "runsweep_archive__flow_run" : "runsweep_archive.flow_run";
            long archived = 0;
            for (String table : ArchiveFixture.TABLES) {
                archived += scalar(database, "SELECT count(*) FROM " + flowRuns.replace("flow_run", table));
            }
            assertTrue(scalar(database, "SELECT count(*) FROM " + flowRuns) > 0);
            // The files of that run were written now; make them a year old, as the rows' archive time is.
            try (Stream<Path> files = Files.walk(archive)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(
                            file, java.nio.file.attribute.FileTime.from(ArchiveFixture.NOW.minus(Duration.ofDays(40))));
                }
            }

            SweepReport later = sweepAt(database, settings, Duration.ofDays(-31));

            assertEquals(false, later.anyFailed(), later.toString());
            String cutoff = kind == DatabaseKind.SQLITE ? "2026-06-02 00:00:00.000000" : "2026-06-02T00:00:00Z";
            assertEquals(
                    0,
                    scalar(
                            database,
                            "SELECT count(*) FROM " + flowRuns + " WHERE runsweep_archived_at < '" + cutoff + "'"));
            List<String> notes = later.policies().get(0).notes();
            assertTrue(
                    notes.contains("removed " + archived + " archived rows older than archive.keep"
                            + " (2026-06-02T00:00:00Z) from the archive tables"),
                    notes.toString());
            assertTrue(
                    notes.contains("removed 1 archived runs older than archive.keep (2026-06-02T00:00:00Z) from "
                            + archive.resolve("flow-runs")),
                    notes.toString());
            assertEquals(
                    1, new ArchiveDirectory(archive.resolve("flow-runs")).runs().size(), "the old run is gone");
        }
    }

    /** A sweep {@code shift} before (negative: after) the fixture's now. */
    private static SweepReport sweepAt(Database database, Settings settings, Duration shift) {
        Clock clock = Clock.fixed(ArchiveFixture.NOW.minus(shift), ZoneOffset.UTC);
        return new Sweep(database, TestSettings.runOptions(), clock, new StopSignal())
                .run(List.of(settings.policies().get("flow-runs")), false, PurgeProgress.NONE);
    }

    private static void execute(Database database, String sql) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long scalar(Database database, String sql) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long tables(Database database, String schema) throws Exception {
        return database.kind() == DatabaseKind.SQLITE
                ? scalar(database, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '" + schema + "%'")
                : scalar(database, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "'");
    }
}
