package io.runsweep.jobs.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A role that may run the plain sweep (SELECT and DELETE on the policy's table and its dependents) lacks what
 * archiving needs: the run is refused before anything is made or deleted, naming each GRANT; an owner runs exactly
 * those statements, and the same role's next sweep archives and deletes.
 */
class ArchiveGrantsTest {
    @TempDir
    Path dir;

    @Test
    void aRoleThatMaySweepButNotArchiveIsRefusedWithTheGrantsThatThenLetItArchive() throws Exception {
        try (Database owner = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            ArchiveFixture.seed(owner, DatabaseKind.POSTGRESQL, 40);
            String role = "archiver_" + database(owner);
            try (Connection c = owner.connection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + role + " LOGIN");
                s.execute("GRANT SELECT, DELETE ON flow_run, log, artifact TO " + role);
            }
            Map<String, Set<String>> before = ArchiveFixture.ids(owner);
            Settings settings = ArchiveFixture.settings(dir, "schema = runsweep_archive");

            PolicyReport refused = sweepAs(owner, role, settings);

            assertEquals(PolicyReport.Outcome.FAILED, refused.outcome());
            String prefix = "archive: the role lacks what archiving needs (locking a batch's rows FOR UPDATE,"
                    + " deleting cascaded rows itself, writing the archive schema); as an owner, run: ";
            String error = refused.error().orElseThrow();
            assertTrue(error.contains(prefix), error);
            String statements = error.substring(error.indexOf(prefix) + prefix.length(), error.indexOf(" (policy"));
            String to = " TO \"" + role + "\"";
            assertEquals(
                    List.of(
                            "GRANT UPDATE (\"id\") ON \"flow_run\"" + to,
                            "GRANT SELECT, DELETE, UPDATE (\"flow_run_id\") ON \"flow_run_input\"" + to,
                            "GRANT SELECT, DELETE, UPDATE (\"flow_run_id\") ON \"flow_run_state\"" + to,
                            "GRANT SELECT, DELETE, UPDATE (\"flow_run_id\") ON \"task_run\"" + to,
                            "GRANT SELECT, DELETE, UPDATE (\"task_run_id\") ON \"task_run_state\"" + to,
                            "CREATE SCHEMA \"runsweep_archive\" AUTHORIZATION \"" + role + "\""),
                    Arrays.asList(statements.split("; ")),
                    "the policy's table, its cascades level by level, then the schema");
            assertEquals(before, ArchiveFixture.ids(owner), "nothing deleted");
            PolicyReport preview = sweepAs(owner, role, settings, true);
            assertTrue(
                    preview.error().orElseThrow().contains(prefix + statements),
                    "the dry run says the same: " + preview.error());
            assertEquals(false, schemaExists(owner), "nothing made");

            try (Connection c = owner.connection();
                    Statement s = c.createStatement()) {
                for (String statement : statements.split("; ")) {
                    s.execute(statement);
                }
            }
            PolicyReport granted = sweepAs(owner, role, settings);

            assertEquals(
                    PolicyReport.Outcome.SUCCEEDED,
                    granted.outcome(),
                    granted.error().orElse(""));
            Map<String, Set<String>> gone = ArchiveFixture.gone(before, ArchiveFixture.ids(owner));
            assertTrue(gone.get("flow_run").size() > 0, gone.toString());
            assertEquals(gone, ArchiveFixture.idsInTables(owner, "runsweep_archive", "flow-runs"));
        }
    }

    private static PolicyReport sweepAs(Database owner, String role, Settings settings) {
        return sweepAs(owner, role, settings, false);
    }

    private static PolicyReport sweepAs(Database owner, String role, Settings settings, boolean dryRun) {
        try (Database database = Databases.open(
                owner.url().withCredentials(Optional.of(role), Optional.empty()),
                TestDatabases.options().withReadOnly(dryRun))) {
            return new Sweep(database, TestSettings.runOptions(), ArchiveFixture.CLOCK, new StopSignal())
                    .run(List.of(settings.policies().get("flow-runs")), dryRun, PurgeProgress.NONE)
                    .policies()
                    .get(0);
        }
    }

    private static String database(Database database) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean schemaExists(Database database) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'runsweep_archive'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
