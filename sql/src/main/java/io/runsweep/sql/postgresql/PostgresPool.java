package io.runsweep.sql.postgresql;

import com.zaxxer.hikari.HikariConfig;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.DatabaseUrl;
import java.time.Duration;

/**
 * How Runsweep's connections to PostgreSQL are made: statement, lock and idle-in-transaction timeouts for the
 * whole session, no JIT compilation, and read-only when asked.
 */
public final class PostgresPool {

    static final String APPLICATION_NAME = "runsweep";

    private PostgresPool() {}

    public static HikariConfig config(DatabaseUrl url, ConnectionOptions options) {
        HikariConfig config = new HikariConfig();
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        // Properties, so that a value the user put in the URL wins (pgjdbc lets URL parameters override them).
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        config.addDataSourceProperty("connectTimeout", String.valueOf(ceilSeconds(options.connectTimeout())));
        config.setConnectionInitSql(postgresSessionSql(options));
        return config;
    }

    // SET at connect rather than the "options" startup parameter: an "options" in the user's URL would
    // replace ours, silently dropping the read-only guard. Hikari's readOnly alone does not stop writes
    // in autocommit mode (pgjdbc applies it per transaction), default_transaction_read_only does.
    private static String postgresSessionSql(ConnectionOptions options) {
        // Runsweep's statements are short or read once; on a server built with LLVM, a session's first plan
        // costed above jit_above_cost loaded the JIT (an EXPLAIN at planning took 70-100 ms for it).
        StringBuilder sql = new StringBuilder("SET jit = off; ");
        if (!options.statementTimeout().isZero()) {
            sql.append("SET statement_timeout = ")
                    .append(options.statementTimeout().toMillis())
                    .append("; ");
        }
        // Session-wide, so that every statement gives up behind the application's locks, planning and checks
        // included, and so that a paused Runsweep (SIGSTOP, a stalled host) never sits on its row locks.
        if (!options.lockTimeout().isZero()) {
            sql.append("SET lock_timeout = ")
                    .append(options.lockTimeout().toMillis())
                    .append("; ");
        }
        if (!options.idleInTransactionTimeout().isZero()) {
            sql.append("SET idle_in_transaction_session_timeout = ")
                    .append(options.idleInTransactionTimeout().toMillis())
                    .append("; ");
        }
        if (options.readOnly()) {
            sql.append("SET default_transaction_read_only = on; ");
        }
        return sql.toString().strip();
    }

    static long ceilSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
