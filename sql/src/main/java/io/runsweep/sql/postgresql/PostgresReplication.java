package io.runsweep.sql.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How far streaming replicas are behind, and who waits on a session's locks: what a purge watches so that it
 * gives way.
 */
public final class PostgresReplication {
    // replay_lag is measured when a reply crosses a point the primary noted; a replica that has replayed all the
    // primary wrote shows the lag of its last catch-up until the next replies clear it, so it counts as 0 here.
    private static final String FROM_PRIMARY = """
      SELECT coalesce(nullif(application_name, ''), client_addr::text, 'pid ' || pid), state,
             replay_lsn IS NOT NULL AND replay_lsn >= pg_current_wal_lsn(),
             extract(epoch FROM replay_lag)
      FROM pg_stat_replication
      ORDER BY 1""";

    // On the replica: nothing received is waiting to be replayed, or how long ago the last replayed commit was made.
    private static final String ON_REPLICA = """
      SELECT pg_is_in_recovery(),
             pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn(),
             extract(epoch FROM now() - pg_last_xact_replay_timestamp())""";

    // Sessions waiting on a lock this session holds: row locks show as waits on this session's transaction id.
    private static final String LOCK_WAITERS =
            "SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY (pg_blocking_pids(pid))";

    /**
     * One replica's replay lag.
     *
     * @param lag empty when it cannot be told: not visible to this role, or nothing replayed yet
     * @param visible false when the role may not see the replica's figures (it needs pg_read_all_stats)
     */
    public record Lag(String replica, Optional<Duration> lag, boolean visible) {}

    /** Every replica connected to the primary {@code connection} is on, as {@code pg_stat_replication} shows it. */
    public List<Lag> fromPrimary(Connection connection) throws SQLException {
        List<Lag> lags = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(FROM_PRIMARY);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                boolean visible = rs.getString(2) != null;
                Optional<Duration> lag = rs.getBoolean(3) ? Optional.of(Duration.ZERO) : seconds(rs, 4);
                lags.add(new Lag(rs.getString(1), visible ? lag.or(() -> Optional.of(Duration.ZERO)) : lag, visible));
            }
        }
        return lags;
    }

    /**
     * The replica {@code connection} is on, asked itself.
     *
     * @throws IllegalStateException when the server is not in recovery: not a replica
     */
    public Lag onReplica(Connection connection, String name) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(ON_REPLICA);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalStateException(name + " is not a replica: the server is not in recovery");
            }
            return new Lag(name, rs.getBoolean(2) ? Optional.of(Duration.ZERO) : seconds(rs, 3), true);
        }
    }

    /** How many other sessions wait on a lock this session holds; run in the transaction that holds them. */
    public int lockWaiters(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(LOCK_WAITERS);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Optional<Duration> seconds(ResultSet rs, int index) throws SQLException {
        double seconds = rs.getDouble(index);
        return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos((long) (Math.max(0, seconds) * 1e9)));
    }
}
