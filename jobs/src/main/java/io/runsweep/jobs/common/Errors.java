package io.runsweep.jobs.common;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;

/** Errors as a person needs them: on one line, with the database's SQL state, without a stack trace. */
public final class Errors {
    private Errors() {}

    /**
     * An exception's cause chain: what failed, then why, each cause once. A cause already told (its message is
     * in what came before), or one that only wraps a cause already told ("Failed to initialize pool: " and the
     * server's message), is left out.
     */
    public static String chain(Throwable e) {
        String root = message(rootCause(e));
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 6; t = t.getCause()) {
            String told = String.join(" ", parts);
            String message = message(t);
            boolean repeats =
                    !parts.isEmpty() && (told.contains(message) || (told.contains(root) && message.contains(root)));
            if (!repeats) {
                parts.add(describe(t));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return String.join(": caused by ", parts);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 20; depth++) {
            t = t.getCause();
        }
        return t;
    }

    /** PostgreSQL's messages carry their Detail, Hint and Where on lines of their own: one line here. */
    private static String message(Throwable t) {
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String describe(Throwable t) {
        String message = message(t);
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            return message + " (SQL State " + sql.getSQLState() + ")";
        }
        return message;
    }

    /**
     * A SQL error with its state (where the driver sets one), code and the server's own message. The pool's
     * "Connection is not available" says only that it waited; its cause, when it has one, is why the last attempt to
     * connect failed (a refused connection, a wrong password), which the pool forgets once an attempt succeeds.
     */
    public static String describe(SQLException e) {
        String message = message(e);
        // SQLite's driver sets no SQL state: its code's name leads its message ("[SQLITE_BUSY] ...").
        String state = e.getSQLState() == null ? "" : "SQL State " + e.getSQLState() + ", ";
        String described = state + "error code " + e.getErrorCode() + ": " + message;
        if (e instanceof SQLTransientConnectionException && e.getCause() != null) {
            String why = message(e.getCause());
            if (!message.contains(why)) {
                return described + "; the last attempt to connect failed: " + why;
            }
        }
        return described;
    }
}
