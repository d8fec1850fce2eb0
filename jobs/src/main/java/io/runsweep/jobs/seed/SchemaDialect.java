package io.runsweep.jobs.seed;

import io.runsweep.sql.DatabaseKind;

/** The database a Prefect fixture schema is written for. */
public enum SchemaDialect {
    POSTGRESQL("prefect-postgresql.sql"),
    SQLITE("prefect-sqlite.sql");

    private final String scriptName;

    SchemaDialect(String scriptName) {
        this.scriptName = scriptName;
    }

    public static SchemaDialect of(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRESQL -> POSTGRESQL;
            case SQLITE -> SQLITE;
        };
    }

    /** The DDL script's file name, a resource next to this class. */
    public String scriptName() {
        return scriptName;
    }
}
