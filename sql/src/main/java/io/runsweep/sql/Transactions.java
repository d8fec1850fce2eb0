package io.runsweep.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Every transaction Runsweep opens, in one of two shapes: committed when the work succeeds and rolled back
 * when it fails, or always rolled back (reads and EXPLAINs that must change nothing, and settings that must
 * not outlive them). Either way the connection leaves in the auto-commit mode it came in, whatever failed.
 */
public final class Transactions {
    private Transactions() {}

    /** Work done inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and commits it, or rolls it back and rethrows. On an auto-commit
     * connection the commit is switching auto-commit back on: sqlite-jdbc's {@code commit()} would open the
     * next transaction at once and, in IMMEDIATE mode, hold the write lock until the next statement.
     */
    public static <T> T commit(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        T result;
        try {
            // Inside the try: sqlite-jdbc begins here, and a busy database fails the BEGIN itself.
            connection.setAutoCommit(false);
            result = work.run();
            if (autoCommit) {
                connection.setAutoCommit(true);
            } else {
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            rollBack(connection, autoCommit, e);
            throw e;
        }
        return result;
    }

    /** Runs {@code work} in a transaction that is always rolled back. */
    public static <T> T rollBack(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        T result;
        try {
            connection.setAutoCommit(false);
            result = work.run();
        } catch (SQLException | RuntimeException e) {
            rollBack(connection, autoCommit, e);
            throw e;
        }
        connection.rollback();
        connection.setAutoCommit(autoCommit);
        return result;
    }

    /**
     * Rolls back after a failure without hiding it. Auto-commit is set back even when the rollback failed:
     * sqlite-jdbc records auto-commit off even when its BEGIN failed, and would run the next statement
     * outside any transaction.
     */
    private static void rollBack(Connection connection, boolean autoCommit, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
