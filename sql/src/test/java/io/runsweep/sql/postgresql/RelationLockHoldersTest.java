package io.runsweep.sql.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.sql.TableName;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
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
                new RelationLockHolders.Holder("run", 4242, null, null, null, 3, "ShareLock", null);

        assertEquals("user unknown, application \"\"", worker.who());
        assertEquals("", worker.statement(200));
    }
}
