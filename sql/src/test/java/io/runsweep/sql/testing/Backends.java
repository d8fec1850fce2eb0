package io.runsweep.sql.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What an operator or a fast shutdown does to PostgreSQL sessions: ends them, here with pg_terminate_backend. */
public final class Backends {
    private Backends() {}

    /**
     * Terminates {@code times} sessions of Runsweep (application_name {@code runsweep}) on {@code url}'s
     * database, each while it runs a DELETE, a different session each time; gives up after a minute.
     *
     * @return the terminated sessions' pids
     */
    public static List<Integer> terminateWhileDeleting(String url, int times) {
        return terminate(url, times, "", "DELETE%", "SELECT pg_terminate_backend(?)");
    }

    /**
     * Terminates the one session of Runsweep on {@code url}'s database that waits for a lock while it runs a
     * statement starting as {@code query} (a LIKE pattern), once it does, and waits for it to end; gives up after a
     * minute.
     *
     * @return the terminated session's pid, or none
     */
    public static List<Integer> terminateWhileWaiting(String url, String query) {
        return terminate(url, 1, " AND wait_event_type = 'Lock'", query, "SELECT pg_terminate_backend(?, 10000)");
    }

    /**
     * Terminates {@code times} different active sessions of Runsweep whose statement is like {@code query} and that
     * meet {@code condition} (SQL, empty for none), with {@code kill}; gives up after a minute.
     */
    private static List<Integer> terminate(String url, int times, String condition, String query, String kill) {
        List<Integer> done = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        try (Connection admin = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement find = admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE"
                        + " application_name = 'runsweep' AND datname = current_database() AND state = 'active'"
                        + condition + " AND query LIKE ?");
                PreparedStatement terminate = admin.prepareStatement(kill)) {
            find.setString(1, query);
            while (done.size() < times && System.nanoTime() < deadline) {
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next() && !done.contains(rs.getInt(1))) {
                        terminate.setInt(1, rs.getInt(1));
                        terminate.execute();
                        done.add(rs.getInt(1));
                    }
                }
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not terminate Runsweep's sessions: " + e.getMessage(), e);
        }
        return done;
    }
}
