package io.runsweep.sql;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** One run-history database: where it is, how to speak to it, and a pool of connections. */
public final class Database implements AutoCloseable {
  private final DatabaseUrl url;
  private final Dialect dialect;
  private final HikariDataSource pool;

  private Database(DatabaseUrl url, Dialect dialect, HikariDataSource pool) {
    this.url = url;
    this.dialect = dialect;
    this.pool = pool;
  }

  public static Database open(DatabaseUrl url, ConnectionOptions options) {
    return new Database(url, Dialect.of(url.kind()), Pools.open(url, options));
  }

  public DatabaseUrl url() {
    return url;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  public HikariDataSource pool() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}
