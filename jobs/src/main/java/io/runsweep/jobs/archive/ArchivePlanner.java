package io.runsweep.jobs.archive;

import io.runsweep.config.ArchiveSettings;
import io.runsweep.jobs.purge.ArchivePlan;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.sql.ArchiveColumn;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Column;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Adds to a policy's plan how its batches copy what they delete: the tables its cascades empty (followed through
 * the catalog, each to be locked, copied and deleted explicitly), its dependents (deleted returning their rows),
 * and, for an archive schema, the archive tables to make or extend, each checked against its source's columns.
 */
public final class ArchivePlanner {
    private static final int MAX_DEPTH = 6;

    private final Dialect dialect;
    private final ArchiveSql sql;

    public ArchivePlanner(Dialect dialect, ArchiveSql sql) {
        this.dialect = dialect;
        this.sql = sql;
    }

    /** Archives go under the policy's name; a retention override's rows ({@code events[type]}) go with events'. */
    public static String archiveName(String policy) {
        int bracket = policy.indexOf('[');
        return bracket < 0 ? policy : policy.substring(0, bracket);
    }

    public PurgePlan plan(Connection connection, PurgePlan plan) throws SQLException {
        ArchiveSettings settings = plan.policy().archive();
        String where = " (policy " + plan.name() + ", " + plan.policy().location() + ")";
        Column key = plan.key()
                .or(() -> plan.policy().keyColumn().flatMap(k -> plan.table().column(k)))
                .or(() -> plan.table().primaryKey().size() == 1
                        ? plan.table().column(plan.table().primaryKey().get(0))
                        : Optional.empty())
                .orElseThrow(() -> new PlanException("archive: table \""
                        + plan.table().name()
                        + "\" has no single-column primary key to tell its rows apart; set key-column" + where));
        List<ArchivePlan.Level> levels = new ArrayList<>();
        cascades(
                connection,
                plan.table(),
                levels,
                new HashSet<>(Set.of(plan.table().name().toString())),
                1,
                where);
        List<ArchivePlan.Dependent> dependents = new ArrayList<>();
        for (PurgePlan.Dependent d : plan.dependents()) {
            refuseCascadesOf(connection, d.table(), where);
            dependents.add(
                    new ArchivePlan.Dependent(d.table(), d.column(), sql.deleteReturning(d.table(), d.column())));
        }
        List<String> prepare = new ArrayList<>();
        Map<TableName, TableName> archiveTables = new LinkedHashMap<>();
        List<String> destinations = new ArrayList<>();
        if (settings.schema().isPresent()) {
            String schema = settings.schema().get();
            prepare.addAll(sql.createSchema(connection, schema));
            List<Table> tables = new ArrayList<>(List.of(plan.table()));
            levels.forEach(l -> tables.add(l.table()));
            dependents.forEach(d -> tables.add(d.table()));
            for (Table table : tables) {
                TableName archive = sql.archiveTable(schema, table.name());
                if (archiveTables.putIfAbsent(table.name(), archive) == null) {
                    prepare.addAll(archiveTable(connection, table, archive, where));
                }
            }
            destinations.add(
                    dialect.kind() == io.runsweep.sql.DatabaseKind.SQLITE
                            ? "tables " + schema + "__<table> in the same file"
                            : "schema " + schema);
        }
        refuseMissingGrants(connection, plan, key, levels, dependents, archiveTables, where);
        Optional<Path> directory = settings.directory().map(d -> d.resolve(archiveName(plan.name())));
        directory.ifPresent(d -> destinations.add("directory " + d));
        return plan.withArchive(new ArchivePlan(
                archiveName(plan.name()),
                destinations,
                prepare,
                plan.strategy() == PurgePlan.Strategy.RANGE
                        ? sql.lockRange(plan.table(), plan.where())
                        : sql.lockBatch(plan.table(), plan.where()),
                sql.lockBatch(plan.table(), plan.where()),
                key,
                levels,
                dependents,
                dialect.deleteByKeys(plan.table(), key),
                archiveTables,
                directory,
                settings.keep()));
    }

    /**
     * A role that may run plain sweeps may still lack what archiving needs; refused before anything is made, each
     * missing privilege as the statement that grants it.
     */
    private void refuseMissingGrants(
            Connection connection,
            PurgePlan plan,
            Column key,
            List<ArchivePlan.Level> levels,
            List<ArchivePlan.Dependent> dependents,
            Map<TableName, TableName> archiveTables,
            String where)
            throws SQLException {
        Map<Table, Column> locked = new LinkedHashMap<>();
        locked.put(plan.table(), key);
        levels.forEach(l -> locked.putIfAbsent(l.table(), l.column()));
        List<String> grants = sql.missingGrants(
                connection,
                locked,
                dependents.stream().map(ArchivePlan.Dependent::table).toList(),
                plan.policy().archive().schema(),
                archiveTables.values());
        if (!grants.isEmpty()) {
            throw new PlanException("archive: the role lacks what archiving needs (locking a batch's rows FOR UPDATE,"
                    + " deleting cascaded rows itself, writing the archive schema); as an owner, run: "
                    + String.join("; ", grants) + where);
        }
    }

    /**
     * Every table the database would empty by cascade, each after the table it depends on. A table reached twice,
     * or through itself, would be emptied by a cascade no explicit delete can account for: refused.
     */
    private void cascades(
            Connection connection,
            Table parent,
            List<ArchivePlan.Level> into,
            Set<String> seen,
            int depth,
            String where)
            throws SQLException {
        for (ForeignKey fk : dialect.referencing(connection, parent)) {
            if (fk.onDelete() != ForeignKey.OnDelete.CASCADE) {
                continue;
            }
            if (depth > MAX_DEPTH || !seen.add(fk.child().toString())) {
                throw new PlanException("archive: \"" + fk.child() + "\" is emptied by cascade along more than one"
                        + " path, through itself or more than " + MAX_DEPTH + " levels deep (foreign key " + fk.name()
                        + "), so the rows its cascades delete cannot all be copied first" + where);
            }
            Table child = dialect.describe(connection, fk.child())
                    .orElseThrow(() -> new PlanException("archive: table \"" + fk.child() + "\" vanished" + where));
            Column column = child.column(fk.childColumn()).orElseThrow();
            Column parentColumn = parent.column(fk.parentColumn()).orElseThrow();
            into.add(new ArchivePlan.Level(
                    child,
                    column,
                    parent.name(),
                    parentColumn,
                    sql.lockByKeys(child, column),
                    dialect.deleteByKeys(child, column)));
            cascades(connection, child, into, seen, depth + 1, where);
        }
    }

    private void refuseCascadesOf(Connection connection, Table dependent, String where) throws SQLException {
        for (ForeignKey fk : dialect.referencing(connection, dependent)) {
            if (fk.onDelete() == ForeignKey.OnDelete.CASCADE) {
                throw new PlanException("archive: deleting rows of the dependent \"" + dependent.name()
                        + "\" would empty \"" + fk.child() + "\" by cascade (foreign key " + fk.name()
                        + ") without copying them first" + where);
            }
        }
    }

    /** Makes the archive table on first use; later, adds the columns the source gained and refuses changed types. */
    private List<String> archiveTable(Connection connection, Table table, TableName archive, String where)
            throws SQLException {
        List<ArchiveColumn> source = sql.columns(connection, table);
        Optional<List<ArchiveColumn>> existing = sql.existing(connection, archive);
        if (existing.isEmpty()) {
            return List.of(sql.createTable(archive, source));
        }
        Map<String, ArchiveColumn> kept = new LinkedHashMap<>();
        existing.get().forEach(c -> kept.put(c.name(), c));
        for (String own : List.of(ArchiveSql.ARCHIVED_AT, ArchiveSql.POLICY)) {
            if (!kept.containsKey(own)) {
                throw new PlanException("archive: \"" + archive + "\" exists but is not an archive table (it has no"
                        + " column " + own + "); name another archive schema" + where);
            }
        }
        List<String> statements = new ArrayList<>();
        for (ArchiveColumn column : source) {
            ArchiveColumn archived = kept.get(column.name());
            if (archived == null) {
                statements.add(sql.addColumn(archive, column));
            } else if (!sql.compatible(archived, column)) {
                throw new PlanException("archive: column \"" + column.name() + "\" of \"" + archive + "\" is "
                        + archived.type() + ", but \"" + table.name() + "\"." + column.name() + " is now "
                        + column.type() + "; rename the archive table to keep its rows, and Runsweep makes a new one"
                        + where);
            }
        }
        return statements;
    }
}
