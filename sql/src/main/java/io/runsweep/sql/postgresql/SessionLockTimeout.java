package io.runsweep.sql.postgresql;

import io.runsweep.sql.Queries;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A session-wide lock_timeout around statements that cannot run in a transaction block (VACUUM, a concurrent
 * detach), set back afterwards to what the session had: the pool sets one at connect, which RESET would drop.
 */
final class SessionLockTimeout {
    private SessionLockTimeout() {}

    static <T> T with(Connection connection, Duration lockTimeout, Transactions.Work<T> work) throws SQLException {
        String before = Queries.single(connection, "SHOW lock_timeout");
        set(connection, lockTimeout.toMillis() + "ms");
        T result;
        try {
            result = work.run();
        } catch (SQLException | RuntimeException e) {
            try {
                set(connection, before);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        set(connection, before);
        return result;
    }

    private static void set(Connection connection, String value) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT set_config('lock_timeout', ?, false)")) {
            s.setString(1, value);
            s.execute();
        }
    }
}
