package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.testing.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop's cancel reaches only the work it was meant for. The cancel of a statement is sent on a connection of its
 * own and reaches whatever the session runs when the server gets it; the maintenance job once lost its whole report
 * to a cancel that, sent as its VACUUM FULL was already ending, cut off the statistics read after it.
 */
class StopSignalTest {
    /** How long the server takes to get a cancel here: long enough that the work ends before it lands. */
    private static final long CANCEL_DELAY_MILLIS = 600;

    @TempDir
    Path dir;

    @Test
    void aCancelStillUnderWayWhenTheWorkEndsDoesNotReachTheConnectionsNextStatement() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir);
                Connection connection = db.connection();
                Statement statement = connection.createStatement()) {
            Dialect slowToCancel = slowToCancel(db.dialect());
            StopSignal stop = new StopSignal();
            CompletableFuture<Void> raising = CompletableFuture.runAsync(() -> {
                sleep(100);
                stop.raise("the test");
            });

            Optional<String> result = stop.unlessStopped(slowToCancel, connection, () -> {
                try (ResultSet rs = statement.executeQuery("SELECT pg_sleep(0.3)::text")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            // The next statement begins once the work is over, while the stop's cancel would still be on its way.
            try (ResultSet rs = statement.executeQuery("SELECT 'after the work', pg_sleep(1)::text")) {
                rs.next();
                assertEquals("after the work", rs.getString(1));
            }
            raising.get(10, TimeUnit.SECONDS);

            assertEquals(Optional.empty(), result, "the stop came while the work ran, so its result is not shown");
        }
    }

    /** {@code dialect}, whose cancel reaches the server {@link #CANCEL_DELAY_MILLIS} ms after it is asked for. */
    private static Dialect slowToCancel(Dialect dialect) {
        return (Dialect) Proxy.newProxyInstance(
                Dialect.class.getClassLoader(), new Class<?>[] {Dialect.class}, (proxy, method, args) -> {
                    if (method.getName().equals("cancelRunning")) {
                        sleep(CANCEL_DELAY_MILLIS);
                    }
                    try {
                        return method.invoke(dialect, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
