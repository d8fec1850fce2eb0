package io.runsweep.sql.connect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.DatabaseOpenException;
import io.runsweep.sql.DatabaseUrl;

/**
 * Opens connection pools configured the way Runsweep must touch a scheduler's database: each kind of
 * database sets its own connections up (its {@code *Pool} class); the settings here are the same for all.
 * {@link #open} returns only once one connection has been made.
 */
final class Pools {

    private Pools() {}

    /**
     * Opens a pool and one connection to prove it works.
     *
     * @throws DatabaseOpenException naming the redacted URL and the cause, when no connection can be made
     */
    static HikariDataSource open(DatabaseUrl url, HikariConfig config, ConnectionOptions options) {
        common(config, options);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw DatabaseOpenException.of(url, e);
        }
    }

    private static void common(HikariConfig config, ConnectionOptions options) {
        long connectMillis = options.connectTimeout().toMillis();
        config.setPoolName(options.poolName());
        config.setMaximumPoolSize(options.poolSize());
        // Sweeps run minutes or hours apart: hold no idle connections on the scheduler's database meanwhile.
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectMillis);
        config.setValidationTimeout(Math.min(connectMillis, 5_000));
        // One attempt at start: an unreachable database fails open() instead of the first sweep.
        config.setInitializationFailTimeout(1);
        config.setReadOnly(options.readOnly());
    }
}
