package io.runsweep.jobs.purge;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.sql.Database;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a lock timeout's message: which of the tables a statement needed was locked, and by whom, so
 * that an operator can act without reading pg_locks at the moment it happened.
 */
public final class LockHolders {
    /** PostgreSQL's lock_not_available: lock_timeout ran out. */
    private static final String LOCK_TIMEOUT = "55P03";

    private LockHolders() {}

    /** {@code "; "} and the holders when {@code e} is a lock timeout; empty otherwise. */
    public static String of(Database database, SQLException e, List<TableName> tables) {
        if (!LOCK_TIMEOUT.equals(e.getSQLState())) {
            return "";
        }
        List<String> names = tables.stream().map(t -> "\"" + t + "\"").toList();
        try (Connection connection = database.connection()) {
            return "; "
                    + database.dialect()
                            .lockHolders(connection, tables)
                            .orElse("no session holds a lock on " + String.join(", ", names)
                                    + " any more; the wait was for a row lock or a lock since released");
        } catch (SQLException unknown) {
            return "; could not read who holds locks on " + String.join(", ", names) + ": " + Errors.describe(unknown);
        }
    }

    /** The tables a policy names (its table and dependents), for a lock timeout's message before its plan exists. */
    public static List<TableName> namedBy(PolicySettings policy) {
        List<TableName> tables = new ArrayList<>(List.of(TableName.parse(policy.table())));
        policy.dependents().forEach(d -> tables.add(TableName.parse(d.table())));
        return tables;
    }

    /** The policy's table, its dependents and the tables its foreign keys cascade to. */
    public static List<TableName> reachedBy(PurgePlan plan) {
        List<TableName> tables = new ArrayList<>(List.of(plan.table().name()));
        plan.dependents().forEach(d -> tables.add(d.table().name()));
        plan.cascades().forEach(c -> tables.add(c.table()));
        return tables;
    }
}
