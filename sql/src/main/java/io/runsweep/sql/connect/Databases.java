package io.runsweep.sql.connect;

import com.zaxxer.hikari.HikariDataSource;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseOpenException;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.postgresql.PostgresArchiveSql;
import io.runsweep.sql.postgresql.PostgresDialect;
import io.runsweep.sql.postgresql.PostgresIndexes;
import io.runsweep.sql.postgresql.PostgresPool;
import io.runsweep.sql.postgresql.PostgresStats;
import io.runsweep.sql.postgresql.SessionPooling;
import io.runsweep.sql.sqlite.SqliteArchiveSql;
import io.runsweep.sql.sqlite.SqliteDialect;
import io.runsweep.sql.sqlite.SqliteIndexes;
import io.runsweep.sql.sqlite.SqlitePool;
import io.runsweep.sql.sqlite.SqliteStats;

/**
 * The one place that picks, for the kind of database a URL names, the classes that speak to it. A new kind
 * of database is a package of its own beside {@code postgresql} and {@code sqlite}, with a {@code Dialect},
 * an {@code IndexCatalog}, a {@code Stats} and a pool setup, and one case here.
 */
public final class Databases {
    private static final int AT_LIMIT_ATTEMPTS = 5;
    private static final long AT_LIMIT_PAUSE_MILLIS = 100;

    private Databases() {}

    /**
     * Opens a pool on the database and makes one connection to prove it works.
     *
     * @throws io.runsweep.sql.DatabaseOpenException naming the redacted URL and the cause
     */
    public static Database open(DatabaseUrl url, ConnectionOptions options) {
        return switch (url.kind()) {
            case POSTGRESQL -> {
                // Before the pool's first connection makes its session's settings, which a pooler would pass on.
                SessionPooling.requireOwnSessions(url, options);
                yield new Database(
                        url,
                        new PostgresDialect(),
                        new PostgresIndexes(),
                        new PostgresStats(),
                        postgresPool(url, options));
            }
            case SQLITE ->
                new Database(
                        url,
                        new SqliteDialect(),
                        new SqliteIndexes(),
                        new SqliteStats(),
                        Pools.open(url, SqlitePool.config(url, options), options));
        };
    }

    /**
     * The pool, made once the check's two sessions have ended. A role or server at its connection limit still counts
     * them for the moments their backends take to exit: a first connection refused for that is tried again.
     */
    private static HikariDataSource postgresPool(DatabaseUrl url, ConnectionOptions options) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Pools.open(url, PostgresPool.config(url, options), options);
            } catch (DatabaseOpenException e) {
                boolean atLimit = e.sqlState()
                        .filter(SessionPooling.TOO_MANY_CONNECTIONS::equals)
                        .isPresent();
                if (attempt == AT_LIMIT_ATTEMPTS || !atLimit) {
                    throw e;
                }
                try {
                    Thread.sleep(AT_LIMIT_PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** What archiving says to this kind of database. */
    public static ArchiveSql archiveSql(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRESQL -> new PostgresArchiveSql();
            case SQLITE -> new SqliteArchiveSql();
        };
    }
}
