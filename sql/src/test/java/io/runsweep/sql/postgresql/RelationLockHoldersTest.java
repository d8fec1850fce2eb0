package io.runsweep.sql.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.sql.TableName;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sessions a lock timeout's message names, and how each is named. */
class RelationLockHoldersTest {
    @Test
    void aSessionHoldingASharedLockIsNamedByItsUserAndApplication() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection holder = DriverManager.getConnection(url + "&ApplicationName=migrate");
                Connection asking = DriverManager.getConnection(url);
                Statement s = holder.createStatement()) {
            s.execute("CREATE TABLE run (id int)");
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE run IN SHARE MODE");

            List<RelationLockHolders.Holder> holders = RelationLockHolders.of(
                    asking, List.of(TableName.of("run")), false, RelationLockHolders.BLOCKING_DELETE, false, 5);

            assertEquals(1, holders.size(), holders.toString());
            assertEquals("ShareLock", holders.get(0).mode());
            assertEquals(
                    "user postgres, application \"migrate\"", holders.get(0).who());
            holder.rollback();
        }
    }

    @Test
    void aBackgroundProcessWithNoUserIsNamedUnknownNotNull() {
        RelationLockHolders.Holder worker =
                new RelationLockHolders.Holder("run", 4242, null, null, null, 3L, "ShareLock", null);

        assertEquals("user unknown, application \"\"", worker.who());
        assertEquals("state unknown for 3 s", worker.activity());
        assertEquals("", worker.statement(200));
    }

    /**
     * A role without pg_read_all_stats reads another role's pid, user and application, not its state, its
     * transaction's start or its statement: the message says the state is unknown rather than "for 0 s".
     */
    @Test
    void aRoleThatMayNotReadTheHoldersActivitySaysSoRatherThanZeroSeconds() throws Exception {
        String url = TestPostgres.newDatabase();
        String role = "lock_reader_" + url.replaceAll(".*/(\\w+).*", "$1");
        try (Connection holder = DriverManager.getConnection(url + "&ApplicationName=migrate");
                Statement s = holder.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'postgres'");
            s.execute("CREATE TABLE run (id int)");
            s.execute("GRANT SELECT ON run TO " + role);
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE run IN SHARE MODE");
            int pid = pid(s);
            try (Connection asking = DriverManager.getConnection(url.replace("user=postgres", "user=" + role))) {

                String message = new PostgresDialect()
                        .lockHolders(asking, List.of(TableName.of("run")))
                        .orElseThrow();

                assertEquals(
                        "\"run\" is locked by pid " + pid + " (user postgres, application \"migrate\", state unknown,"
                                + " ShareLock; its statement: <insufficient privilege>)",
                        message);
            } finally {
                holder.rollback();
                holder.setAutoCommit(true);
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    private static int pid(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
