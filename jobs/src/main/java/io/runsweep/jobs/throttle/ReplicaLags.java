package io.runsweep.jobs.throttle;

import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.postgresql.PostgresReplication;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How far the replicas are behind: read on the primary from {@code pg_stat_replication}, or asked of each replica
 * listed in {@code runsweep.throttle.replica-urls} over a connection of its own, kept for the run.
 */
final class ReplicaLags implements AutoCloseable {
    private static final int REPLICA_TIMEOUT_SECONDS = 5;

    private final PostgresReplication replication = new PostgresReplication();
    private final List<String> urls;
    private final Map<String, Connection> replicas = new LinkedHashMap<>();

    ReplicaLags(List<String> urls) {
        this.urls = List.copyOf(urls);
    }

    /**
     * What holds batches back now: each replica more than {@code max} behind, or whose lag cannot be told; empty
     * when every replica is within it.
     *
     * @throws SQLException when the lag cannot be read at all, with what to do about it
     */
    List<String> over(Connection primary, Duration max) throws SQLException {
        List<PostgresReplication.Lag> lags = urls.isEmpty() ? fromPrimary(primary) : fromReplicas();
        List<String> over = new ArrayList<>();
        for (PostgresReplication.Lag lag : lags) {
            if (lag.lag().isEmpty()) {
                over.add("replica " + lag.replica() + ": replay lag unknown (nothing replayed yet, or unreachable)");
            } else if (lag.lag().get().compareTo(max) > 0) {
                over.add("replica " + lag.replica() + ": replay lag "
                        + Formats.seconds(lag.lag().get()) + " above max-replica-lag " + Formats.seconds(max));
            }
        }
        return over;
    }

    private List<PostgresReplication.Lag> fromPrimary(Connection primary) throws SQLException {
        List<PostgresReplication.Lag> lags = replication.fromPrimary(primary);
        if (lags.stream().anyMatch(l -> !l.visible())) {
            String role = primary.getMetaData().getUserName();
            throw new SQLException("runsweep.throttle.max-replica-lag: role \"" + role + "\" cannot see the replicas'"
                    + " lag in pg_stat_replication; GRANT pg_read_all_stats TO \"" + role + "\", or list the"
                    + " replicas in runsweep.throttle.replica-urls");
        }
        return lags;
    }

    private List<PostgresReplication.Lag> fromReplicas() throws SQLException {
        List<PostgresReplication.Lag> lags = new ArrayList<>();
        for (String url : urls) {
            String shown = DatabaseUrl.redact(url);
            try {
                lags.add(replication.onReplica(connection(url), shown));
            } catch (IllegalStateException e) {
                throw new SQLException("runsweep.throttle.replica-urls: " + e.getMessage(), e);
            } catch (SQLException e) {
                closeReplica(url);
                lags.add(new PostgresReplication.Lag(shown + " (" + e.getMessage() + ")", Optional.empty(), true));
            }
        }
        return lags;
    }

    private Connection connection(String url) throws SQLException {
        Connection open = replicas.get(url);
        if (open != null && !open.isClosed()) {
            return open;
        }
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        Properties properties = new Properties();
        parsed.user().ifPresent(u -> properties.setProperty("user", u));
        parsed.password().ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("connectTimeout", String.valueOf(REPLICA_TIMEOUT_SECONDS));
        properties.setProperty("socketTimeout", String.valueOf(REPLICA_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "runsweep");
        Connection connection = DriverManager.getConnection(parsed.jdbcUrl(), properties);
        replicas.put(url, connection);
        return connection;
    }

    private void closeReplica(String url) {
        Connection connection = replicas.remove(url);
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a connection that failed is gone either way
            }
        }
    }

    @Override
    public void close() {
        new ArrayList<>(replicas.keySet()).forEach(this::closeReplica);
    }
}
