package io.runsweep.app;

import static io.runsweep.jobs.PrefectHistory.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.jobs.PrefectHistory;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real PostgreSQL roles with fewer privileges than a sweep needs: a role with SELECT alone runs the dry run, the
 * report and the check, each saying what a real run would lack; a real run is refused before any delete, naming the
 * table and the privilege; and a sweep of one policy needs nothing on tables only other policies reach.
 */
class LeastPrivilegeTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aSelectOnlyRoleRunsTheDryRunTheReportAndTheCheck() throws Exception {
        String url = TestPostgres.newDatabase();
        String role = role(url, "reader", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO %s");
        Path config = config(url, role);
        long runs;
        try (Database db = open(url)) {
            runs = count(db, "SELECT count(*) FROM flow_run");
        }

        Cli dryRun = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--dry-run");

        assertEquals(0, dryRun.exitCode(), dryRun.out() + dryRun.err());
        assertTrue(
                dryRun.out()
                        .contains("  a real run would REFUSE this policy: role " + role + " lacks DELETE on"
                                + " \"flow_run\", which it needs to find and delete the policy's rows (GRANT DELETE ON"
                                + " \"flow_run\" TO " + role + ";); role " + role + " lacks DELETE on \"log\", which it"
                                + " needs to delete the rows that refer to deleted ones (GRANT DELETE ON \"log\" TO "
                                + role + ";); role " + role + " lacks DELETE on \"artifact\","),
                dryRun.out());
        assertTrue(dryRun.out().matches("(?s).*\n    flow_run +[\\d,]+  \\(matched by the policy\\).*"), dryRun.out());
        assertTrue(dryRun.out().contains("    -- plan: flow_run: index "), dryRun.out());
        assertTrue(dryRun.out().endsWith("7 policies, 0 failed (" + dryRun.out().replaceAll("(?s).*failed \\(", "")));

        try (Connection dashboard = DriverManager.getConnection(url + "&ApplicationName=dashboard");
                Statement d = dashboard.createStatement()) {
            long pid = TestPostgres.holdSnapshot(d);
            Cli report = Cli.run(Map.of(), CLOCK, "report", "--config", config.toString());
            assertEquals(0, report.exitCode(), report.out() + report.err());
            assertFalse(report.out().contains("could not run"), report.out());
            // The role may not read another role's session's state and start: the report says so, not "0s".
            assertTrue(
                    report.out()
                            .matches("(?s).*\nOldest snapshot \\(VACUUM cannot remove rows deleted after it\\): session"
                                    + " pid " + pid + " \\(role postgres, application dashboard\\), held for a time"
                                    + " this role may not read; [\\d,]+ transactions? since its"
                                    + " snapshot\n.*"),
                    report.out());

            Cli asOwner = Cli.run(
                    Map.of(),
                    CLOCK,
                    "report",
                    "--config",
                    config(url, "postgres").toString());
            assertTrue(
                    asOwner.out()
                            .matches("(?s).*\nOldest snapshot \\(VACUUM cannot remove rows deleted after it\\): session"
                                    + " pid " + pid + " \\(role postgres, application dashboard, idle in transaction"
                                    + " since [-\\dT:]+Z\\), held \\d+s; [\\d,]+ transactions?"
                                    + " since its snapshot\n.*"),
                    asOwner.out());
            config(url, role);
        }

        Cli check = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());
        assertEquals(3, check.exitCode(), check.out());
        assertTrue(
                check.out()
                        .contains("\npolicy flow-runs\n  WARNING  role " + role
                                + " lacks DELETE on \"flow_run\", which it"
                                + " needs to find and delete the policy's rows: a sweep refuses the policy before it"
                                + " deletes anything\n           fix: GRANT DELETE ON \"flow_run\" TO " + role + ";\n"),
                check.out());
        assertFalse(check.out().contains("ERROR"), check.out());
        assertFalse(check.out().contains("catalog"), check.out());
        assertTrue(
                check.out()
                        .contains("\nmaintenance\n  note     role " + role + " may not VACUUM or ANALYZE \"flow_run\","
                                + " \"log\", \"artifact\", \"flow_run_input\", \"flow_run_state\", \"task_run\","
                                + " \"task_run_state\", \"events\", \"event_resources\", \"artifact_collection\", as it"
                                + " neither owns them (nor is a member of the owner's role or a superuser) nor owns the"
                                + " database: sweeps and the maintenance job skip those statements, and only autovacuum"
                                + " cleans the tables. Its owner postgres is a superuser, and membership in that role"
                                + " would make " + role + " one (SET ROLE): run Runsweep as a superuser for it to do"
                                + " this, or leave it to autovacuum; PostgreSQL 17's GRANT MAINTAIN gives VACUUM and"
                                + " ANALYZE alone.\n"),
                check.out());

        Cli sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flow-runs");
        assertEquals(1, sweep.exitCode(), sweep.out());
        assertTrue(
                sweep.out().startsWith("flow-runs          FAILED  refused: role " + role + " lacks DELETE on"),
                sweep.out());
        assertTrue(sweep.out().contains(". Nothing was deleted\n"), sweep.out());
        try (Database db = open(url)) {
            assertEquals(runs, count(db, "SELECT count(*) FROM flow_run"));
        }
    }

    /**
     * The role may delete flow runs, their logs and artifacts and read what they cascade to, and nothing else:
     * events fill more than 10,000 rows, whose planning would explain a DELETE of them. Only the selected policy is
     * planned, so the sweep runs; without DELETE on a dependent, it is refused before its first batch.
     */
    @Test
    void aSweepOfOnePolicyNeedsNothingOnTablesOnlyOthersReachAndAMissingGrantStopsItBeforeAnyDelete() throws Exception {
        String url = TestPostgres.newDatabase();
        String role = role(
                url,
                "sweeper",
                "GRANT SELECT, DELETE ON flow_run, log TO %s",
                "GRANT SELECT ON artifact, flow_run_state, flow_run_input, task_run, task_run_state TO %s");
        Path config = config(url, role);
        long runs;
        try (Database db = open(url)) {
            assertTrue(count(db, "SELECT count(*) FROM events") > 10_000);
            runs = count(db, "SELECT count(*) FROM flow_run");
        }

        Cli refused = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flow-runs");

        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        assertEquals(
                "flow-runs          FAILED  refused: role " + role + " lacks DELETE on \"artifact\", which it needs to"
                        + " delete the rows that refer to deleted ones (GRANT DELETE ON \"artifact\" TO " + role
                        + ";). Nothing was deleted\n",
                refused.out().lines().findFirst().orElseThrow() + "\n");
        try (Database db = open(url)) {
            assertEquals(runs, count(db, "SELECT count(*) FROM flow_run"));
            grant(db, "GRANT DELETE ON artifact TO " + role);
        }

        Cli check = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());
        String flowRuns = check.out().replaceAll("(?s).*\npolicy flow-runs\n(.*?)\n\n.*", "$1");
        assertFalse(flowRuns.contains("WARNING"), "the grant clears flow-runs' warning:\n" + check.out());
        assertTrue(
                check.out()
                        .contains("\npolicy events\n  ERROR    policy events (presets/prefect.conf: 56): role " + role
                                + " lacks SELECT on \"events\", which it needs to plan the policy and find its rows"
                                + " (GRANT SELECT ON \"events\" TO " + role + ";)\n"),
                check.out());

        Cli sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "flow-runs");

        assertEquals(0, sweep.exitCode(), sweep.out() + sweep.err());
        assertTrue(
                sweep.out()
                        .contains("\nmaintenance, after policy flow-runs:\n  VACUUM (ANALYZE) \"flow_run\"        "
                                + "          skipped\n      why: dead rows are "),
                sweep.out());
        assertTrue(
                sweep.out()
                        .contains("\n      skipped: role " + role + " may not VACUUM \"flow_run\"; only its owner"
                                + " postgres, a member of that role, a superuser, or the database's owner may. Autovacuum still"
                                + " cleans and analyzes it. Its owner postgres is a superuser"),
                sweep.out());
        try (Database db = open(url)) {
            assertEquals(
                    0,
                    count(
                            db,
                            "SELECT count(*) FROM flow_run WHERE end_time < '2026-03-03 00:00:00+00'"
                                    + " AND state_type IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')"));
            assertTrue(count(db, "SELECT count(*) FROM flow_run") < runs);
        }
    }

    /** The database seeded as its owner, and a role (named after the database, so unique) granted {@code grants}. */
    private static String role(String url, String name, String... grants) throws Exception {
        String role = name + "_" + url.replaceAll(".*/(test_\\d+).*", "$1");
        try (Database db = open(url)) {
            PrefectHistory.seed(db, 3500, 120, CLOCK.instant());
            grant(db, "CREATE ROLE " + role + " LOGIN");
            for (String grant : grants) {
                grant(db, String.format(grant, role));
            }
        }
        return role;
    }

    private static void grant(Database db, String statement) throws Exception {
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private Path config(String url, String role) throws Exception {
        return Files.writeString(
                dir.resolve("runsweep.conf"),
                "runsweep { preset = prefect, database.url = \"" + url.replace("user=postgres", "user=" + role)
                        + "\" }\n");
    }

    private static Database open(String url) {
        return Databases.open(DatabaseUrl.parse(url), TestDatabases.options());
    }
}
