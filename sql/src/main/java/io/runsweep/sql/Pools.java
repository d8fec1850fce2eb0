package io.runsweep.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Opens connection pools configured the way Runsweep must touch a scheduler's database: SQLite as
 * Prefect opens it, PostgreSQL with a statement timeout, and read-only pools that the server itself
 * refuses to write through. {@link #open} returns only once one connection has been made.
 */
public final class Pools {

  private static final String APPLICATION_NAME = "runsweep";

  private Pools() {}

  /**
   * Opens a pool and one connection to prove it works.
   *
   * @throws OpenFailedException naming the redacted URL and the cause, when no connection can be made
   */
  public static HikariDataSource open(DatabaseUrl url, ConnectionOptions options) {
    HikariConfig config = url.kind() == DatabaseKind.POSTGRESQL ? postgres(url, options) : sqlite(url, options);
    common(config, options);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw OpenFailedException.of(url, e);
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

  private static HikariConfig postgres(DatabaseUrl url, ConnectionOptions options) {
    HikariConfig config = new HikariConfig();
    config.setDriverClassName("org.postgresql.Driver");
    config.setJdbcUrl(url.jdbcUrl());
    url.user().ifPresent(config::setUsername);
    url.password().ifPresent(config::setPassword);
    // Properties, so that a value the user put in the URL wins (pgjdbc lets URL parameters override them).
    config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
    config.addDataSourceProperty("connectTimeout", String.valueOf(ceilSeconds(options.connectTimeout())));
    postgresSessionSql(options).ifPresent(config::setConnectionInitSql);
    return config;
  }

  // SET at connect rather than the "options" startup parameter: an "options" in the user's URL would
  // replace ours, silently dropping the read-only guard. Hikari's readOnly alone does not stop writes
  // in autocommit mode (pgjdbc applies it per transaction), default_transaction_read_only does.
  private static Optional<String> postgresSessionSql(ConnectionOptions options) {
    StringBuilder sql = new StringBuilder();
    if (!options.statementTimeout().isZero()) {
      sql.append("SET statement_timeout = ").append(options.statementTimeout().toMillis()).append("; ");
    }
    if (options.readOnly()) {
      sql.append("SET default_transaction_read_only = on; ");
    }
    return sql.length() == 0 ? Optional.empty() : Optional.of(sql.toString().strip());
  }

  private static HikariConfig sqlite(DatabaseUrl url, ConnectionOptions options) {
    Path file = url.sqliteFile().orElseThrow();
    if (!Files.exists(file) && (options.readOnly() || !options.createIfMissing())) {
      // Opening would create an empty database, and a sweep of it would "succeed" deleting nothing.
      throw new OpenFailedException("SQLite database file not found: " + file.toAbsolutePath()
          + " (Runsweep opens the scheduler's existing database; check the database URL)", null);
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
      return config;
    }
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // A purge batch touches pages all over the tables' random-key indexes; SQLite's 2 MiB default cache
    // would read them again for every batch. Per connection, and Runsweep keeps few connections.
    config.setCacheSize(-32_768);
    // Take the write lock at BEGIN, where busy_timeout waits for it; a deferred transaction that
    // upgrades from read to write fails at once with SQLITE_BUSY instead.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    if (!options.createIfMissing()) {
      // Closes the race between the existence check and the open.
      config.resetOpenMode(SQLiteOpenMode.CREATE);
    }
    return config;
  }

  private static long ceilSeconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /** A pool could not be opened; the message names the redacted URL and the cause, never a password. */
  public static final class OpenFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OpenFailedException(String message, Throwable cause) {
      super(message, cause);
    }

    static OpenFailedException of(DatabaseUrl url, RuntimeException e) {
      SQLException sql = firstSqlException(e);
      String cause = sql != null ? sql.getMessage() + sqlState(sql) : String.valueOf(e.getMessage());
      String masked = url.password().filter(p -> !p.isEmpty()).map(p -> cause.replace(p, "****")).orElse(cause);
      return new OpenFailedException("Cannot open database " + url.redacted() + ": " + masked, e);
    }

    private static SQLException firstSqlException(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql) {
          return sql;
        }
      }
      return null;
    }

    private static String sqlState(SQLException e) {
      return e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")";
    }
  }
}
