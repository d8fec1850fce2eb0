package io.runsweep.app;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** An exception's cause chain on one line: what failed, then why, without a stack trace. */
final class Errors {
  private Errors() {}

  static String chain(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 6; t = t.getCause()) {
      String text = describe(t);
      if (parts.isEmpty() || !parts.get(parts.size() - 1).contains(text)) {
        parts.add(text);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return String.join(": caused by ", parts);
  }

  private static String describe(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
    if (t instanceof SQLException sql && sql.getSQLState() != null) {
      return message + " (SQL State " + sql.getSQLState() + ")";
    }
    return message;
  }
}
