package io.runsweep.sql.sqlite;

import com.zaxxer.hikari.HikariConfig;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.DatabaseOpenException;
import io.runsweep.sql.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** How Runsweep's connections to a SQLite file are made: as Prefect opens its own, or read-only. */
public final class SqlitePool {
    /** Each connection's page cache, in KiB; see where it is set. */
    private static final int PAGE_CACHE_KIB = 65_536;

    private SqlitePool() {}

    public static HikariConfig config(DatabaseUrl url, ConnectionOptions options) {
        Path file = url.sqliteFile().orElseThrow();
        if (!Files.exists(file) && (options.readOnly() || !options.createIfMissing())) {
            // Opening would create an empty database, and a sweep of it would "succeed" deleting nothing.
            throw new DatabaseOpenException(
                    "SQLite database file not found: " + file.toAbsolutePath()
                            + " (Runsweep opens the scheduler's existing database; check the database URL)",
                    null);
        }
        HikariConfig config = new HikariConfig();
        config.setDriverClassName("org.sqlite.JDBC");
        config.setJdbcUrl(url.jdbcUrl());
        config.setDataSourceProperties(sqliteConfig(options).toProperties());
        return config;
    }

    // Prefect's own connection settings (WAL, foreign keys for its ON DELETE CASCADEs, synchronous
    // NORMAL), so that Runsweep's writes behave as the server's do.
    private static SQLiteConfig sqliteConfig(ConnectionOptions options) {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        if (options.readOnly()) {
            // A read-only connection cannot set journal_mode, and BEGIN IMMEDIATE would ask for the write lock.
            config.setReadOnly(true);
            // A dry run's counts put the keys of every row a policy would take in SQLite's temporary indexes (the
            // IN lists of "IN (SELECT ...)"), which by default live in a temporary file beyond a 2 MiB cache: the
            // Prefect preset's count of event_resources by 282,915 events took 1.2 to 1.6 s that way, 0.6 to
            // 1.0 s in memory. The memory is those keys', for one statement; only read-only connections (the
            // one-shot commands' and the daemon's lock and health pool) keep them there, never a purge's.
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
            return config;
        }
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // A purge batch changes pages all over the tables' random-key indexes, and they must all fit in the cache
        // until its commit: once the cache is full of changed pages, SQLite writes one to the log for every page it
        // reads, and each row costs about three times as much (the last 40% of a 150 ms batch on the bench's
        // 500,000-row Prefect log, with 32 MiB). 64 MiB holds the 8,000 to 9,000 rows such a batch then deletes.
        // Filled only as pages are read; per connection, and the pool keeps two (runsweep.database.pool-size).
        config.setCacheSize(-PAGE_CACHE_KIB);
        // Take the write lock at BEGIN, where busy_timeout waits for it; a deferred transaction that
        // upgrades from read to write fails at once with SQLITE_BUSY instead.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        if (!options.createIfMissing()) {
            // Closes the race between the existence check and the open.
            config.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        return config;
    }
}
