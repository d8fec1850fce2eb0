package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes the database would otherwise find only when a statement runs (a raw error naming no policy, or a
 * DELETE that ran and was rolled back) are errors when the policy is planned, naming the policy and its line.
 */
class PlanningErrorsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aStatusValueThatIsNotALabelOfTheEnumIsAnErrorNamingThePolicyAndLine() throws Exception {
        String url = postgresWithPrefectSchema();
        Path config = Files.writeString(
                dir.resolve("runsweep.conf"),
                "runsweep { preset = prefect, database.url = \"" + url + "\" }\n"
                        + "runsweep.policies.flow-runs.statuses.values = [COMPLETED, FINISHED]\n");
        String error = "policy flow-runs (" + config + ": 2): statuses value 'FINISHED' is not a value of"
                + " \"flow_run\".\"state_type\" (type state_type), which accepts only SCHEDULED, PENDING, RUNNING,"
                + " COMPLETED, FAILED, CANCELLED, CRASHED, PAUSED, CANCELLING";

        Cli sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flow-runs");
        Cli check = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());

        assertEquals(1, sweep.exitCode(), sweep.out() + sweep.err());
        assertEquals(
                "flow-runs          FAILED  " + error + "\n",
                sweep.out().lines().findFirst().orElseThrow() + "\n");
        assertEquals(2, check.exitCode(), check.out());
        assertTrue(check.out().contains("\npolicy flow-runs\n  ERROR    " + error + "\n"), check.out());
    }

    @Test
    void aDependentColumnThatCannotHoldTheKeyIsAnErrorBeforeAnyDelete() throws Exception {
        String url = postgresWithPrefectSchema();
        Path config = Files.writeString(
                dir.resolve("runsweep.conf"),
                "runsweep.database.url = \"" + url + "\"\n"
                        + "runsweep.policies.runs { table = flow_run, time-column = end_time, older-than = 30d,"
                        + " dependents = [{table = log, column = level}] }\n");

        Cli sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--dry-run");

        assertEquals(1, sweep.exitCode(), sweep.out() + sweep.err());
        assertTrue(
                sweep.out()
                        .contains("  FAILED: policy runs (" + config + ": 2): dependent \"log\".\"level\" is of type"
                                + " int2, but the key it refers to, \"flow_run\".\"id\", is of type uuid: its values can"
                                + " never equal the key's\n"),
                sweep.out());
    }

    /** SQLite would not fail: CHAR(36) keys compared with integers match nothing, and no log line would ever go. */
    @Test
    void onSqliteTooADependentColumnOfAnotherKindIsAnError() throws Exception {
        Path db = dir.resolve("prefect.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            PrefectSchema.create(c, SchemaDialect.SQLITE);
        }
        Path config = Files.writeString(
                dir.resolve("runsweep.conf"),
                "runsweep.database.url = \"sqlite:///" + db + "\"\n"
                        + "runsweep.policies.runs { table = flow_run, time-column = end_time, older-than = 30d,"
                        + " dependents = [{table = log, column = level}] }\n");

        Cli sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString());

        assertEquals(1, sweep.exitCode(), sweep.out() + sweep.err());
        assertEquals(
                "runs               FAILED  policy runs (" + config + ": 2): dependent \"log\".\"level\" is of type"
                        + " SMALLINT, but the key it refers to, \"flow_run\".\"id\", is of type CHAR(36): its values"
                        + " can never equal the key's\n",
                sweep.out().lines().findFirst().orElseThrow() + "\n");
    }

    private static String postgresWithPrefectSchema() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url)) {
            PrefectSchema.create(c, SchemaDialect.POSTGRESQL);
        }
        return url;
    }
}
