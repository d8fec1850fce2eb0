package io.runsweep.jobs.common;

import io.runsweep.config.DatabaseSettings;
import io.runsweep.sql.ConnectionOptions;

/** How the configuration's {@code runsweep.database} settings open connections. */
public final class Connections {
    private Connections() {}

    /** @param readOnly a dry run's connections: the database itself refuses writes through them */
    public static ConnectionOptions options(DatabaseSettings database, boolean readOnly) {
        return new ConnectionOptions(
                database.poolSize(),
                database.connectTimeout(),
                database.busyTimeout(),
                database.statementTimeout(),
                readOnly,
                "runsweep",
                false,
                database.lockTimeout(),
                database.idleInTransactionTimeout());
    }
}
