package io.runsweep.jobs.seed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the trimmed Prefect 3 schema Runsweep's tests and demos run on: the tables retention
 * touches, with Prefect's names, keys, cascades and indexes. Idempotent, so it also runs safely
 * against an existing Prefect database, where it changes nothing.
 */
public final class PrefectSchema {
  private PrefectSchema() {}

  /**
   * Runs the dialect's script in one transaction and commits it (DDL is transactional on both
   * databases, so a failure leaves nothing half-created). Commits whatever the connection had
   * pending; restores the connection's auto-commit mode.
   */
  public static void create(Connection connection, SchemaDialect dialect) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      List<String> statements = statements(dialect);
      for (int i = 0; i < statements.size(); i++) {
        execute(statement, dialect, i + 1, statements.get(i));
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** The script's statements, in order, without their final ';'. */
  public static List<String> statements(SchemaDialect dialect) {
    return SqlScript.statements(script(dialect));
  }

  private static void execute(Statement statement, SchemaDialect dialect, int number, String sql)
      throws SQLException {
    try {
      statement.execute(sql);
    } catch (SQLException e) {
      String firstLine = sql.lines().findFirst().orElse("");
      throw new SQLException(
          dialect.scriptName() + ": statement " + number + " (" + firstLine + ") failed: " + e.getMessage(),
          e.getSQLState(), e.getErrorCode(), e);
    }
  }

  private static String script(SchemaDialect dialect) {
    try (InputStream in = PrefectSchema.class.getResourceAsStream(dialect.scriptName())) {
      if (in == null) {
        throw new IllegalStateException("resource missing from the classpath: " + dialect.scriptName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dialect.scriptName(), e);
    }
  }
}
