package io.runsweep.jobs.purge;

import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table privileges a run of a plan needs, and those the connection's role lacks: DELETE and SELECT on the
 * policy's table and its dependents, SELECT on the tables its unreferenced-by tests and its cascades read. The
 * database's own ON DELETE CASCADE acts as the owner of each table, so it needs no grant; counting what it takes
 * does.
 */
public final class Privileges {
    private static final List<String> READ = List.of("SELECT");
    private static final List<String> DELETE = List.of("SELECT", "DELETE");

    private Privileges() {}

    /**
     * A privilege the role lacks on a table.
     *
     * @param why what a run needs it for
     */
    public record Missing(String role, TableName table, String privilege, String why) {
        /** As a message states it, with the grant that fixes it. */
        public String describe() {
            return problem() + " (" + grant() + ")";
        }

        public String problem() {
            return "role " + role + " lacks " + privilege + " on \"" + table + "\", which it needs " + why;
        }

        /** The statement that gives it; the role name is quoted only where it needs to be. */
        public String grant() {
            String grantee = role.matches("[a-z_][a-z0-9_$]*") ? role : "\"" + role.replace("\"", "\"\"") + "\"";
            return "GRANT " + privilege + " ON " + table.quoted() + " TO " + grantee + ";";
        }
    }

    public static List<Missing> missing(Connection connection, Dialect dialect, PurgePlan plan) throws SQLException {
        Optional<String> role = dialect.role(connection);
        List<Missing> missing = new ArrayList<>();
        if (role.isEmpty()) {
            return missing;
        }
        for (Map.Entry<TableName, Need> e : needs(plan).entrySet()) {
            for (String privilege : dialect.missingPrivileges(
                    connection, e.getKey(), e.getValue().privileges())) {
                missing.add(new Missing(
                        role.get(), e.getKey(), privilege, e.getValue().why()));
            }
        }
        return missing;
    }

    /**
     * Planning reads the table itself (row counts, a sampled time, EXPLAIN): without SELECT, say so, naming the
     * table and the grant, rather than let the first read fail with the database's words.
     */
    static void requireSelect(Connection connection, Dialect dialect, TableName table, String why, String policy)
            throws SQLException {
        Optional<String> role = dialect.role(connection);
        if (role.isPresent()
                && !dialect.missingPrivileges(connection, table, READ).isEmpty()) {
            throw new PlanException(
                    "policy " + policy + ": " + new Missing(role.get(), table, "SELECT", why).describe());
        }
    }

    private record Need(List<String> privileges, String why) {}

    private static Map<TableName, Need> needs(PurgePlan plan) {
        Map<TableName, Need> needs = new LinkedHashMap<>();
        needs.put(plan.table().name(), new Need(DELETE, "to find and delete the policy's rows"));
        plan.dependents()
                .forEach(d -> needs.putIfAbsent(
                        d.table().name(), new Need(DELETE, "to delete the rows that refer to deleted ones")));
        for (TableColumn reference : plan.policy().unreferencedBy()) {
            needs.putIfAbsent(
                    TableName.parse(reference.table()), new Need(READ, "for the policy's unreferenced-by test"));
        }
        plan.cascades()
                .forEach(c -> needs.putIfAbsent(
                        c.table(), new Need(READ, "to count what ON DELETE CASCADE takes from it before deleting")));
        return needs;
    }
}
