package io.runsweep.sql;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;

/**
 * One run-history database: where it is, what to say to it, and a pool of connections. Opened by
 * {@code io.runsweep.sql.connect.Databases}, the one place that picks the implementations for a kind of
 * database.
 */
public final class Database implements AutoCloseable {
    private final DatabaseUrl url;
    private final Dialect dialect;
    private final IndexCatalog indexes;
    private final Stats stats;
    private final HikariDataSource pool;

    public Database(DatabaseUrl url, Dialect dialect, IndexCatalog indexes, Stats stats, HikariDataSource pool) {
        this.url = url;
        this.dialect = dialect;
        this.indexes = indexes;
        this.stats = stats;
        this.pool = pool;
    }

    public DatabaseUrl url() {
        return url;
    }

    public DatabaseKind kind() {
        return url.kind();
    }

    /** The statements a purge runs, and what it asks the catalog and the planner. */
    public Dialect dialect() {
        return dialect;
    }

    /** The tables' indexes, for the review of index coverage. */
    public IndexCatalog indexes() {
        return indexes;
    }

    /** Sizes, rows and upkeep, for the checks and maintenance. */
    public Stats stats() {
        return stats;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A second connection for work beside a run's own, only when the pool has one idle or room to open one, and it
     * comes within {@code wait}: such work is worth doing only without waiting for another job to give its
     * connection back.
     */
    public Optional<Connection> spareConnection(Duration wait) throws SQLException {
        if (!(pool.getHikariPoolMXBean() instanceof HikariPool hikari)
                || (hikari.getIdleConnections() == 0 && hikari.getTotalConnections() >= pool.getMaximumPoolSize())) {
            return Optional.empty();
        }
        try {
            return Optional.of(hikari.getConnection(wait.toMillis()));
        } catch (SQLTransientConnectionException e) {
            return Optional.empty();
        }
    }

    /** Whether the pool holds a connection idle now, made and waiting, that {@link #spareConnection} would take. */
    public boolean hasIdleConnection() {
        return pool.getHikariPoolMXBean() instanceof HikariPool hikari && hikari.getIdleConnections() > 0;
    }

    public HikariDataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
