package io.runsweep.jobs.purge;

import java.sql.SQLException;

/** SQL errors as a person needs them: state, code and the server's own message. */
public final class SqlErrors {
  private SqlErrors() {}

  public static String describe(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    return "SQL State " + e.getSQLState() + ", error code " + e.getErrorCode() + ": " + message;
  }
}
