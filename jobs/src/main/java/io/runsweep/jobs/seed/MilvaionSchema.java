package io.runsweep.jobs.seed;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Creates the trimmed Milvaion schema (PostgreSQL only, as Milvaion is) that Runsweep's tests run the
 * Milvaion preset on: the run-history tables with Milvaion's quoted names, keys, cascades and indexes.
 * Idempotent: against an existing Milvaion database it changes nothing.
 */
public final class MilvaionSchema {
    static final String SCRIPT = "milvaion-postgresql.sql";

    private MilvaionSchema() {}

    /** Runs the script in one transaction and commits it; restores the connection's auto-commit mode. */
    public static void create(Connection connection) throws SQLException {
        SchemaScript.run(connection, SCRIPT);
    }
}
