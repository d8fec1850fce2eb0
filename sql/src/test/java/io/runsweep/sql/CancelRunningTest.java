package io.runsweep.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Dialect#cancelRunning}, from another thread, on the real database: a statement that would run for minutes
 * fails with the database's own cancellation error, and the session answers the next statement.
 */
class CancelRunningTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aStatementCancelledFromAnotherThreadFailsAndTheSessionGoesOn(DatabaseKind kind) throws Exception {
        String endless = kind == DatabaseKind.SQLITE
                ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
                : "SELECT pg_sleep(600)";
        try (Database db = TestDatabases.open(kind, dir);
                Connection c = db.connection()) {
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try (Statement s = c.createStatement()) {
                    s.executeQuery(endless).close();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // A cancel before the statement starts cancels nothing: sent again only once one has had time to work,
            // so that none is still on its way when the next statement runs.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            do {
                if (System.nanoTime() > deadline) {
                    fail("the statement was not cancelled");
                }
                Thread.sleep(100);
                db.dialect().cancelRunning(c);
            } while (!ended(running));

            ExecutionException failed = assertThrows(ExecutionException.class, running::get);
            SQLException cause = (SQLException) failed.getCause().getCause();
            if (kind == DatabaseKind.SQLITE) {
                assertEquals(9, cause.getErrorCode() & 0xff, cause.toString()); // SQLITE_INTERRUPT
            } else {
                assertEquals("57014", cause.getSQLState(), cause.toString()); // query_canceled
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
        }
    }

    private static boolean ended(CompletableFuture<Void> running) throws InterruptedException {
        try {
            running.get(5, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }
}
