package io.runsweep.sql;

import java.sql.SQLException;
import java.util.Optional;

/** A pool could not be opened; the message names the redacted URL and the cause, never a password. */
public final class DatabaseOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseOpenException(String message, Throwable cause) {
        super(message, cause);
    }

    public static DatabaseOpenException of(DatabaseUrl url, Exception e) {
        SQLException sql = firstSqlException(e);
        String cause = sql != null ? sql.getMessage() + sqlState(sql) : String.valueOf(e.getMessage());
        String masked = url.password()
                .filter(p -> !p.isEmpty())
                .map(p -> cause.replace(p, "****"))
                .orElse(cause);
        return new DatabaseOpenException("Cannot open database " + url.redacted() + ": " + masked, e);
    }

    /** The SQL state of the first SQL error among the causes, if there is one. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(firstSqlException(this)).map(SQLException::getSQLState);
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
