package io.runsweep.jobs.review;

import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.maintenance.ManagedTables;
import io.runsweep.jobs.purge.Privileges;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.sql.Database;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.IndexCatalog;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        return findings;
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
