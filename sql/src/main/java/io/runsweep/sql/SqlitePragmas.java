package io.runsweep.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite's maintenance statements and the figures that show what they did. Each runs on an auto-commit
 * connection (VACUUM cannot run inside a transaction), under the connection's busy timeout, so that it
 * waits that long for the server's write lock and then gives up rather than hold the server back.
 */
public final class SqlitePragmas {
  public static final String OPTIMIZE = "PRAGMA optimize";
  public static final String INCREMENTAL_VACUUM = "PRAGMA incremental_vacuum";
  public static final String VACUUM = "VACUUM";
  public static final String CHECKPOINT = "PRAGMA wal_checkpoint(TRUNCATE)";

  /** What {@code PRAGMA wal_checkpoint} answers: whether a reader or writer stopped it, and WAL frames. */
  public record Checkpoint(boolean blocked, long walFrames, long checkpointedFrames) {
    /** {@code -1} frames: the database is not in WAL mode, so there was nothing to do. */
    public boolean walMode() {
      return walFrames >= 0;
    }
  }

  public SqliteFileStats stats(Connection connection, Path file) throws SQLException {
    return new SqliteFileStats(size(file), size(Path.of(file + "-wal")), pragma(connection, "page_size"),
        pragma(connection, "page_count"), pragma(connection, "freelist_count"),
        (int) pragma(connection, "auto_vacuum"));
  }

  public void optimize(Connection connection) throws SQLException {
    execute(connection, OPTIMIZE);
  }

  /**
   * Moves every free page to the end of the file and cuts it off. Works only where {@code auto_vacuum}
   * is INCREMENTAL. The pragma frees one page per result row, so every row is read.
   */
  public void incrementalVacuum(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(INCREMENTAL_VACUUM)) {
      while (rs.next()) {
        // each step frees one page
      }
    }
  }

  public void vacuum(Connection connection) throws SQLException {
    execute(connection, VACUUM);
  }

  /** Copies the WAL into the database file and empties it, so that the file shows its real size. */
  public Checkpoint checkpoint(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(CHECKPOINT)) {
      rs.next();
      return new Checkpoint(rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3));
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    if (!connection.getAutoCommit()) {
      throw new IllegalStateException(sql + " must run on an auto-commit connection");
    }
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  private static long pragma(Connection connection, String name) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
  }
}
