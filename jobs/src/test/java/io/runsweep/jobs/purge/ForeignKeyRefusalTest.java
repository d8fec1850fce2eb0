package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A table referenced through a NO ACTION key is refused up front, naming the key and the fix, instead of
 * failing at its first batch; with unreferenced-by, only rows nothing refers to go.
 */
class ForeignKeyRefusalTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void refusesUpFrontThenTakesOnlyUnreferencedRows(DatabaseKind kind) throws Exception {
        String time = kind == DatabaseKind.SQLITE ? "DATETIME" : "timestamptz";
        String old = kind == DatabaseKind.SQLITE ? "'2026-01-01 00:00:00.000000'" : "'2026-01-01 00:00:00+00'";
        try (Database db = TestDatabases.open(kind, dir)) {
            try (Connection c = db.connection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE wf_run (id BIGINT PRIMARY KEY, ended " + time + ")");
                s.execute("CREATE TABLE occurrence (id BIGINT PRIMARY KEY, wf_run_id BIGINT,"
                        + " CONSTRAINT fk_occurrence_wf_run FOREIGN KEY (wf_run_id) REFERENCES wf_run (id))");
                s.execute("CREATE INDEX ix_occurrence_wf_run_id ON occurrence (wf_run_id)");
                for (int i = 1; i <= 4; i++) {
                    s.execute("INSERT INTO wf_run VALUES (" + i + ", " + old + ")");
                }
                s.execute("INSERT INTO occurrence VALUES (1, 2)");
                s.execute("INSERT INTO occurrence VALUES (2, 4)");
            }
            PolicySettings plain = policy(List.of());
            PolicyReport refused =
                    EngineFixture.run(db, plain, EngineFixture.options(true), new StopSignal(), PurgeProgress.NONE);
            String key = kind == DatabaseKind.SQLITE ? "fk_occurrence__wf_run_id" : "fk_occurrence_wf_run";
            assertEquals(
                    Optional.of("refused: \"occurrence\".\"wf_run_id\" refers to \"wf_run\" through foreign key " + key
                            + " (ON DELETE NO ACTION), so deleting a row it still refers to would fail. Add unreferenced-by ="
                            + " [{table = \"occurrence\", column = \"wf_run_id\"}] to the policy (test.conf: 1) to take only rows"
                            + " nothing refers to, or delete the referring rows first"),
                    refused.error());
            assertEquals(List.of(1L, 2L, 3L, 4L), EngineFixture.ids(db, "wf_run"));

            PolicyReport report = EngineFixture.run(
                    db,
                    policy(List.of(new TableColumn("occurrence", "wf_run_id"))),
                    EngineFixture.options(true),
                    new StopSignal(),
                    PurgeProgress.NONE);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    report.outcome(),
                    report.error().orElse(""));
            assertEquals(List.of(2L, 4L), EngineFixture.ids(db, "wf_run"));
            assertEquals(List.of(1L, 2L), EngineFixture.ids(db, "occurrence"));
        }
    }

    private static PolicySettings policy(List<TableColumn> unreferencedBy) {
        return new PolicySettings(
                "runs",
                "wf_run",
                "ended",
                Optional.empty(),
                Duration.ofDays(30),
                Optional.empty(),
                List.of(),
                unreferencedBy,
                Optional.empty(),
                List.of(),
                100,
                new RunLimits(0, Duration.ZERO, 1.0),
                Strategy.AUTO,
                true,
                "0 0 * * * ?",
                "test.conf: 1");
    }
}
