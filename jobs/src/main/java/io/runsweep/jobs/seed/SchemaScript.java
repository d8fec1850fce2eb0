package io.runsweep.jobs.seed;

import io.runsweep.sql.Transactions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Runs one of the fixture DDL scripts kept as resources next to this class. */
final class SchemaScript {
    private SchemaScript() {}

    /**
     * Runs the script in one transaction and commits it (DDL is transactional on both databases, so a
     * failure leaves nothing half-created). Commits whatever the connection had pending; restores the
     * connection's auto-commit mode.
     */
    static void run(Connection connection, String scriptName) throws SQLException {
        Transactions.commit(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                List<String> statements = statements(scriptName);
                for (int i = 0; i < statements.size(); i++) {
                    execute(statement, scriptName, i + 1, statements.get(i));
                }
            }
            return null;
        });
    }

    /** The script's statements, in order, without their final ';'. */
    static List<String> statements(String scriptName) {
        return SqlScript.statements(text(scriptName));
    }

    private static void execute(Statement statement, String scriptName, int number, String sql) throws SQLException {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            String firstLine = sql.lines().findFirst().orElse("");
            throw new SQLException(
                    scriptName + ": statement " + number + " (" + firstLine + ") failed: " + e.getMessage(),
                    e.getSQLState(),
                    e.getErrorCode(),
                    e);
        }
    }

    private static String text(String scriptName) {
        try (InputStream in = SchemaScript.class.getResourceAsStream(scriptName)) {
            if (in == null) {
                throw new IllegalStateException("resource missing from the classpath: " + scriptName);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + scriptName, e);
        }
    }
}
