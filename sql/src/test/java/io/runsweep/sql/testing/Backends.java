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
        List<Integer> done = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        try (Connection admin = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement find = admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE"
                        + " application_name = 'runsweep' AND datname = current_database() AND state = 'active'"
                        + " AND query LIKE 'DELETE%'");
                PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
            while (done.size() < times && System.nanoTime() < deadline) {
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next() && !done.contains(rs.getInt(1))) {
                        kill.setInt(1, rs.getInt(1));
                        kill.execute();
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

    /**
     * Terminates the one session of Runsweep on {@code url}'s database that waits for a lock while it runs a
     * statement starting as {@code query} (a LIKE pattern), once it does; gives up after a minute.
     *
     * @return the terminated session's pid, or none
     */
    public static List<Integer> terminateWhileWaiting(String url, String query) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        try (Connection admin = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement find = admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE"
                        + " application_name = 'runsweep' AND datname = current_database() AND state = 'active'"
                        + " AND wait_event_type = 'Lock' AND query LIKE ?");
                PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
            find.setString(1, query);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next()) {
                        kill.setInt(1, rs.getInt(1));
                        kill.execute();
                        return List.of(rs.getInt(1));
                    }
                }
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not terminate Runsweep's session: " + e.getMessage(), e);
        }
        return List.of();
    }
}
