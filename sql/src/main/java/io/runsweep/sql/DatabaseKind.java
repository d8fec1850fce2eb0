package io.runsweep.sql;

/** The database products Runsweep speaks to; each has its own {@link Dialect} and pool setup. */
public enum DatabaseKind {
    POSTGRESQL,
    SQLITE
}
