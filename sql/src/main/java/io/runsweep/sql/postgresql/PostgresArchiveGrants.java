package io.runsweep.sql.postgresql;

import io.runsweep.sql.Column;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the connected role lacks to archive, each as the statement an owner would run. A plain sweep needs DELETE
 * on the policy's table and its dependents only; archiving also locks rows ({@code SELECT ... FOR UPDATE} needs
 * UPDATE on one of the table's columns), deletes the cascaded rows itself, and writes the archive schema.
 */
final class PostgresArchiveGrants {
    private final Connection connection;
    private final String role;
    private final List<String> grants = new ArrayList<>();

    private PostgresArchiveGrants(Connection connection, String role) {
        this.connection = connection;
        this.role = Identifiers.quote(role);
    }

    static List<String> missing(
            Connection connection,
            Map<Table, Column> locked,
            List<Table> returning,
            Optional<String> schema,
            Collection<TableName> archiveTables)
            throws SQLException {
        PostgresArchiveGrants grants = new PostgresArchiveGrants(connection, currentUser(connection));
        for (Map.Entry<Table, Column> e : locked.entrySet()) {
            grants.onTable(e.getKey().name(), Optional.of(e.getValue()));
        }
        for (Table table : returning) {
            grants.onTable(table.name(), Optional.empty());
        }
        if (schema.isPresent()) {
            grants.onSchema(schema.get(), archiveTables);
        }
        return List.copyOf(grants.grants);
    }

    private void onTable(TableName table, Optional<Column> lockedBy) throws SQLException {
        List<String> privileges = new ArrayList<>();
        for (String privilege : List.of("SELECT", "DELETE")) {
            if (!ask("SELECT has_table_privilege(?, '" + privilege + "')", table.quoted())) {
                privileges.add(privilege);
            }
        }
        if (lockedBy.isPresent() && !ask("SELECT has_any_column_privilege(?, 'UPDATE')", table.quoted())) {
            privileges.add("UPDATE (" + lockedBy.get().quoted() + ")");
        }
        grant(privileges, table.quoted());
    }

    private void onSchema(String schema, Collection<TableName> archiveTables) throws SQLException {
        if (!ask("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)", schema)) {
            if (!ask("SELECT has_database_privilege(current_database(), 'CREATE')", null)) {
                grants.add("CREATE SCHEMA " + Identifiers.quote(schema) + " AUTHORIZATION " + role);
            }
            return;
        }
        List<String> privileges = new ArrayList<>();
        if (!ask("SELECT has_schema_privilege(?, 'USAGE')", schema)) {
            privileges.add("USAGE");
        }
        boolean allMade = true;
        for (TableName archive : archiveTables) {
            if (ask("SELECT to_regclass(?) IS NOT NULL", archive.quoted())) {
                if (!ask("SELECT has_table_privilege(?, 'INSERT')", archive.quoted())) {
                    grant(List.of("INSERT"), archive.quoted());
                }
            } else {
                allMade = false;
            }
        }
        if (!allMade && !ask("SELECT has_schema_privilege(?, 'CREATE')", schema)) {
            privileges.add("CREATE");
        }
        if (!privileges.isEmpty()) {
            grants.add(
                    0,
                    "GRANT " + String.join(", ", privileges) + " ON SCHEMA " + Identifiers.quote(schema) + " TO "
                            + role);
        }
    }

    private void grant(List<String> privileges, String on) {
        if (!privileges.isEmpty()) {
            grants.add("GRANT " + String.join(", ", privileges) + " ON " + on + " TO " + role);
        }
    }

    private boolean ask(String query, String argument) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(query)) {
            if (argument != null) {
                s.setString(1, argument);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT current_user");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
