package io.runsweep.jobs.seed;

import java.sql.Connection;
import java.sql.SQLException;
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
        SchemaScript.run(connection, dialect.scriptName());
    }

    /** The script's statements, in order, without their final ';'. */
    public static List<String> statements(SchemaDialect dialect) {
        return SchemaScript.statements(dialect.scriptName());
    }
}
