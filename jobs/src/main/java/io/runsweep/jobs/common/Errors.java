package io.runsweep.jobs.common;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Errors as a person needs them: on one line, with the database's SQL state, without a stack trace. */
public final class Errors {
    private Errors() {}

    /** An exception's cause chain: what failed, then why. */
    public static String chain(Throwable e) {
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
        String message = t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getMessage().strip();
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            return message + " (SQL State " + sql.getSQLState() + ")";
        }
        return message;
    }

    /** A SQL error with its state, code and the server's own message. */
    public static String describe(SQLException e) {
        String message = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getMessage().strip();
        return "SQL State " + e.getSQLState() + ", error code " + e.getErrorCode() + ": " + message;
    }
}
