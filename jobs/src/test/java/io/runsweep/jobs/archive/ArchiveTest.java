package io.runsweep.jobs.archive;

import static io.runsweep.jobs.archive.ArchiveFixture.gone;
import static io.runsweep.jobs.archive.ArchiveFixture.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.common.JsonReader;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Archive before delete on real databases: what left each table is exactly what the archive holds. */
class ArchiveTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theArchiveTablesHoldExactlyTheRowsThatLeftEveryTable(DatabaseKind kind) throws Exception {
        try (Database database = TestDatabases.open(kind, dir)) {
            ArchiveFixture.seed(database, kind, 150);
            Settings settings = ArchiveFixture.settings(dir, "schema = runsweep_archive");
            Map<String, Set<String>> before = ids(database);
            List<PurgeProgress.ArchiveEvent> events = new ArrayList<>();

            SweepReport report = ArchiveFixture.sweep(database, settings, new PurgeProgress() {
                @Override
                public void batchCommitted(BatchEvent event) {}

                @Override
                public void batchArchived(ArchiveEvent event) {
                    events.add(event);
                }
            });

            PolicyReport flowRuns = report.policies().get(0);
            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    flowRuns.outcome(),
                    flowRuns.error().orElse(""));
            Map<String, Set<String>> gone = gone(before, ids(database));
            for (String table : ArchiveFixture.TABLES) {
                assertEquals(gone.get(table).size(), flowRuns.rows(table), table);
            }
            for (String table :
                    List.of("flow_run", "flow_run_state", "task_run", "task_run_state", "log", "artifact")) {
                assertFalse(gone.get(table).isEmpty(), "the seed gives the table rows to go: " + table);
            }
            assertEquals(gone, ArchiveFixture.idsInTables(database, "runsweep_archive", "flow-runs"));
            long copied = gone.values().stream().mapToLong(Set::size).sum();
            assertEquals(copied, flowRuns.archive().orElseThrow().totalRows());
            assertEquals(
                    copied,
                    events.stream()
                            .flatMap(e -> e.rowsByTable().values().stream())
                            .mapToLong(Long::longValue)
                            .sum());
            assertTrue(events.stream()
                    .allMatch(e -> e.form().equals("schema") && e.policy().equals("flow-runs")));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theArchiveFilesHoldExactlyTheRowsThatLeftAndTheManifestTheirChecksums(DatabaseKind kind) throws Exception {
        Path archive = dir.resolve("archive");
        try (Database database = TestDatabases.open(kind, dir)) {
            ArchiveFixture.seed(database, kind, 150);
            Settings settings = ArchiveFixture.settings(dir, "directory = \"" + archive + "\"");
            Map<String, Set<String>> before = ids(database);

            SweepReport report = ArchiveFixture.sweep(database, settings, PurgeProgress.NONE);

            assertFalse(report.anyFailed(), report.toString());
            Map<String, Set<String>> gone = gone(before, ids(database));
            Path policy = archive.resolve("flow-runs");
            assertEquals(gone, ArchiveFixture.idsInFiles(policy));
            List<ArchiveDirectory.Run> runs = new ArchiveDirectory(policy).runs();
            assertEquals(1, runs.size());
            Map<?, ?> manifest = (Map<?, ?>)
                    JsonReader.parse(Files.readString(runs.get(0).manifest().orElseThrow()));
            assertEquals("runsweep-archive/1", manifest.get("format"));
            assertEquals("flow-runs", manifest.get("policy"));
            assertEquals(List.of(), manifest.get("uncertain_batches"));
            long rows = 0;
            for (Object entry : (List<?>) manifest.get("files")) {
                Map<?, ?> file = (Map<?, ?>) entry;
                byte[] bytes = Files.readAllBytes(policy.resolve((String) file.get("path")));
                assertEquals(
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                        file.get("sha256"));
                assertEquals((long) bytes.length, file.get("bytes"));
                rows += (Long) file.get("rows");
            }
            assertEquals(gone.values().stream().mapToLong(Set::size).sum(), rows);
            assertEquals(rows, report.policies().get(0).archive().orElseThrow().totalRows());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void restoreBringsTheRowsBackSoThatASecondSweepDeletesTheSameSet(DatabaseKind kind) throws Exception {
        Path archive = dir.resolve("archive");
        try (Database database = TestDatabases.open(kind, dir)) {
            ArchiveFixture.seed(database, kind, 120);
            Settings settings =
                    ArchiveFixture.settings(dir, "schema = runsweep_archive, directory = \"" + archive + "\"");
            Map<String, Set<String>> before = ids(database);
            List<String> rowsBefore = snapshot(database);
            ArchiveFixture.sweep(database, settings, PurgeProgress.NONE);
            Map<String, Set<String>> firstGone = gone(before, ids(database));

            for (ArchiveRestore.From from : ArchiveRestore.From.values()) {
                RestoreReport dry = new ArchiveRestore(database, ArchiveFixture.CLOCK)
                        .restore(
                                settings.policies().get("flow-runs"),
                                Optional.of(from),
                                Instant.EPOCH,
                                Instant.parse("9999-01-01T00:00:00Z"),
                                true);
                assertFalse(dry.failed(), dry.toString());
                assertEquals(
                        firstGone.get("flow_run").size(), dry.tables().get(0).restored(), from + " " + dry);
                assertEquals(gone(before, ids(database)), firstGone, "a dry run restores nothing");

                RestoreReport restored = new ArchiveRestore(database, ArchiveFixture.CLOCK)
                        .restore(
                                settings.policies().get("flow-runs"),
                                Optional.of(from),
                                Instant.EPOCH,
                                Instant.parse("9999-01-01T00:00:00Z"),
                                false);

                assertFalse(restored.failed(), restored.toString());
                assertEquals(rowsBefore, snapshot(database), "every value of every row is back, from " + from.word());
                assertEquals(
                        List.of(
                                "flow_run",
                                "flow_run_input",
                                "flow_run_state",
                                "task_run",
                                "task_run_state",
                                "log",
                                "artifact"),
                        restored.tables().stream()
                                .map(RestoreReport.Table::table)
                                .toList());
                RestoreReport again = new ArchiveRestore(database, ArchiveFixture.CLOCK)
                        .restore(
                                settings.policies().get("flow-runs"),
                                Optional.of(from),
                                Instant.EPOCH,
                                Instant.parse("9999-01-01T00:00:00Z"),
                                false);
                assertEquals(
                        0,
                        again.tables().stream()
                                .mapToLong(RestoreReport.Table::restored)
                                .sum());
                // Each sweep archived the rows again (the directory's runs each hold them): all are there now.
                assertEquals(
                        again.tables().stream()
                                .mapToLong(RestoreReport.Table::archived)
                                .sum(),
                        again.tables().stream()
                                .mapToLong(RestoreReport.Table::present)
                                .sum());
                assertTrue(again.tables().get(0).archived()
                        >= firstGone.get("flow_run").size());

                SweepReport second = ArchiveFixture.sweep(database, settings, PurgeProgress.NONE);
                assertEquals(firstGone, gone(before, ids(database)), "the second sweep took the same rows: " + second);
            }
        }
    }

    private static List<String> snapshot(Database database) throws Exception {
        try (Connection c = database.connection()) {
            return new TestRows(c).snapshot(ArchiveFixture.TABLES);
        }
    }
}
