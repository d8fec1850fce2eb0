package io.runsweep.jobs.review;

import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.maintenance.ManagedTables;
import io.runsweep.jobs.purge.Privileges;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.IndexCatalog;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.PostgresVacuum;
import io.runsweep.sql.postgresql.WalCompression;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code runsweep check}: plans every enabled policy as a sweep would, and reports whether each finds its
 * rows and its dependents' rows by index, what its deletes cascade to and whom that surprises, which
 * indexes of the managed tables are duplicated or unused, and whether the maintenance settings name real
 * tables. It reads only: the catalog, statistics, and EXPLAIN in transactions it rolls back.
 */
public final class Review {
    private static final String DATABASE = "database";

    private final Database database;
    private final Settings settings;
    private final Clock clock;

    public Review(Database database, Settings settings, Clock clock) {
        this.database = database;
        this.settings = settings;
        this.clock = clock;
    }

    public ReviewReport run() {
        List<Finding> findings = new ArrayList<>();
        String name = database.url().redacted();
        try (Connection connection = database.connection()) {
            name = database.dialect().version(connection) + ", " + name;
            findings.add(Finding.ok(DATABASE, "reachable"));
            findings.addAll(check(connection));
        } catch (SQLException e) {
            findings.add(Finding.error(DATABASE, "the check stopped: " + Errors.describe(e)));
        }
        return new ReviewReport(name, findings);
    }

    private List<Finding> check(Connection connection) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        if (settings.enabledPolicies().isEmpty()) {
            findings.add(Finding.error(
                    "policies",
                    "no policies are enabled: set runsweep.preset (e.g. prefect) or define" + " runsweep.policies"));
            return findings;
        }
        Dialect dialect = database.dialect();
        IndexCatalog catalog = database.indexes();
        ManagedTables managed = ManagedTables.plan(connection, dialect, settings.enabledPolicies(), clock.instant());
        managed.problems().forEach((policy, problem) -> findings.add(Finding.error("policy " + policy, problem)));
        // Index use first: the EXPLAINs below run sample queries that would count as uses.
        List<Finding> inventory = new IndexInventory(dialect.kind(), catalog, settings.review())
                .of(connection, tables(connection, managed));
        IndexCoverage coverage = new IndexCoverage(dialect, catalog, settings.review());
        CascadeFindings cascades = new CascadeFindings(dialect);
        for (PurgePlan plan : managed.plans()) {
            for (Privileges.Missing missing : Privileges.missing(connection, dialect, plan)) {
                findings.add(Finding.warning(
                        "policy " + plan.name(),
                        missing.problem() + ": a sweep refuses the policy before it deletes anything",
                        Optional.of(missing.grant())));
            }
            findings.addAll(coverage.of(connection, plan));
            findings.addAll(cascades.of(connection, plan));
        }
        findings.addAll(inventory);
        findings.addAll(maintenanceTables(connection));
        maintenanceDenied(connection, managed.tables()).ifPresent(findings::add);
        walCompressionDenied(connection).ifPresent(findings::add);
        return findings;
    }

    /**
     * PostgreSQL: the role may not set wal_compression, where the server writes full-page images whole and has lz4.
     * Sweeps then write their WAL as the server does, about three times as much: a note.
     */
    private Optional<Finding> walCompressionDenied(Connection connection) throws SQLException {
        if (database.dialect().kind() != DatabaseKind.POSTGRESQL
                || !settings.batch().compressWal()) {
            return Optional.empty();
        }
        WalCompression wal = WalCompression.read(connection);
        return wal.grant()
                .map(grant -> Finding.note(
                        "batches",
                        "role " + wal.role() + " may not set wal_compression, so the batches write the full-page"
                                + " images in their WAL whole, as the server does (wal_compression = off), where"
                                + " runsweep.batch.compress-wal = true would have them compressed with lz4: a purge"
                                + " then writes about a third as much WAL, and slows the server's commits less",
                        Optional.of(grant)));
    }

    private List<Table> tables(Connection connection, ManagedTables managed) throws SQLException {
        Map<TableName, Table> known = new LinkedHashMap<>();
        for (PurgePlan plan : managed.plans()) {
            known.putIfAbsent(plan.table().name(), plan.table());
            plan.dependents().forEach(d -> known.putIfAbsent(d.table().name(), d.table()));
        }
        List<Table> tables = new ArrayList<>();
        for (TableName name : managed.tables()) {
            Optional<Table> table = known.containsKey(name)
                    ? Optional.of(known.get(name))
                    : database.dialect().describe(connection, name);
            table.ifPresent(tables::add);
        }
        return tables;
    }

    /**
     * PostgreSQL: the managed tables this role may not VACUUM or ANALYZE. Sweeps and the maintenance job skip
     * their statements (the server would skip them with a WARNING and report success), so this is a note.
     */
    private Optional<Finding> maintenanceDenied(Connection connection, List<TableName> tables) throws SQLException {
        if (database.dialect().kind() != DatabaseKind.POSTGRESQL) {
            return Optional.empty();
        }
        PostgresVacuum vacuum = new PostgresVacuum();
        List<String> denied = new ArrayList<>();
        Set<String> grants = new LinkedHashSet<>();
        Optional<PostgresVacuum.Denied> last = Optional.empty();
        for (TableName table : tables) {
            Optional<PostgresVacuum.Denied> d = vacuum.maintenanceDenied(connection, table);
            if (d.isPresent()) {
                denied.add("\"" + table + "\"");
                d.get().grant(table).ifPresent(grants::add);
                last = d;
            }
        }
        if (last.isEmpty()) {
            return Optional.empty();
        }
        PostgresVacuum.Denied d = last.get();
        boolean one = denied.size() == 1;
        String them = one ? "it" : "them";
        String message = "role " + d.role() + " may not VACUUM or ANALYZE " + String.join(", ", denied)
                + (d.maintainPrivilege()
                        ? ", as it holds no MAINTAIN privilege on " + them + " and does not own the database"
                        : ", as it neither owns " + them + " (nor is a member of the owner's role or a superuser) nor"
                                + " owns the database")
                + ": sweeps and the maintenance job skip " + (one ? "that statement" : "those statements")
                + ", and only autovacuum cleans " + (one ? "the table" : "the tables");
        if (grants.isEmpty()) {
            return Optional.of(Finding.note("maintenance", message + ". " + d.withoutGrant()));
        }
        return Optional.of(Finding.note(
                "maintenance",
                message
                        + (d.maintainPrivilege()
                                ? ""
                                : "; membership lets " + d.role() + " act as the owner in everything, SET ROLE and DROP"
                                        + " included; PostgreSQL 17's GRANT MAINTAIN gives VACUUM and ANALYZE alone"),
                Optional.of(String.join(" ", grants))));
    }

    private List<Finding> maintenanceTables(Connection connection) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        for (String table : settings.maintenance().vacuumFullTables()) {
            if (database.dialect().describe(connection, TableName.parse(table)).isEmpty()) {
                findings.add(Finding.error(
                        "maintenance",
                        "runsweep.maintenance.vacuum-full-tables names table \"" + table + "\", which does not exist"));
            }
        }
        return findings;
    }
}
