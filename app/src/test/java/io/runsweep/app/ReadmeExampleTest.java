package io.runsweep.app;

import static io.runsweep.jobs.PrefectHistory.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.jobs.PrefectHistory;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * README's own example, the Prefect preset with {@code flow-runs.older-than = 30d}: {@code check} finds nothing to
 * warn of (flow-runs takes task runs by cascade, and task-runs keeps only task runs without a flow run), the sweep
 * warns of nothing, and it deletes every flow run past 30 days.
 */
class ReadmeExampleTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void readmesExampleGivesNoWarningsAndStillDeletesFlowRuns(DatabaseKind kind) throws Exception {
        String url =
                kind == DatabaseKind.SQLITE ? "sqlite:///" + dir.resolve("prefect.db") : TestPostgres.newDatabase();
        try (Database db =
                Databases.open(DatabaseUrl.parse(url), TestDatabases.options().withCreateIfMissing(true))) {
            PrefectHistory.seed(db, 600, 120, NOW);
            Path config = Files.writeString(
                    dir.resolve("runsweep.conf"),
                    String.join(
                            "\n",
                            "runsweep {",
                            "  preset = prefect",
                            "  database.url = \"" + url + "\"",
                            "  policies.flow-runs.older-than = 30d",
                            "}",
                            ""));
            String due = "FROM flow_run WHERE end_time < " + PrefectHistory.literal(db, NOW.minus(Duration.ofDays(30)))
                    + " AND state_type IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')";
            long expired = count(db, "SELECT count(*) " + due);
            assertTrue(expired > 100, expired + " flow runs past 30 days");

            Cli check = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

            assertEquals(0, check.exitCode(), check.out());
            assertTrue(check.out().endsWith("\n0 errors, 0 warnings, 3 notes\n"), check.out());

            Cli sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString());

            assertEquals(0, sweep.exitCode(), sweep.out() + sweep.err());
            assertFalse(sweep.err().toLowerCase(Locale.ROOT).contains("warning"), sweep.err());
            assertTrue(
                    sweep.out()
                            .startsWith(String.format(
                                    Locale.ROOT,
                                    "%-18s %-22s %12s rows",
                                    "flow-runs",
                                    "flow_run",
                                    String.format(Locale.ROOT, "%,d", expired))),
                    sweep.out());
            assertEquals(0, count(db, "SELECT count(*) " + due));
        }
    }
}
