package io.runsweep.jobs.maintenance;

import io.runsweep.config.MaintenanceSettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance job: what {@code runsweep maintain} runs once and the daemon runs on
 * {@code runsweep.maintenance.analyze-schedule}. On PostgreSQL, ANALYZE of every table the enabled policies
 * manage, VACUUM (ANALYZE) of those with many dead rows, VACUUM (FULL, ANALYZE) of the tables listed for it;
 * on SQLite, {@code PRAGMA optimize}, the incremental or (opt-in) full vacuum, and a TRUNCATE checkpoint.
 * Each with the figures before and after. Never throws: what failed is in the report.
 */
public final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    private final Database database;
    private final Settings settings;
    private final Clock clock;
    private final StopSignal stop;

    /** @param database read-only for a dry run, as {@code runsweep maintain --dry-run} opens it */
    public Maintenance(Database database, Settings settings, Clock clock) {
        this(database, settings, clock, new StopSignal());
    }

    /**
     * @param stop when raised, cancels the statement under way (the database then ends it, as if it had not run) and
     *     leaves the rest not run, each saying so
     */
    public Maintenance(Database database, Settings settings, Clock clock, StopSignal stop) {
        this.database = database;
        this.settings = settings;
        this.clock = clock;
        this.stop = stop;
    }

    public MaintenanceReport run() {
        return run(false);
    }

    public MaintenanceReport run(boolean dryRun) {
        Instant started = clock.instant();
        long startedNanos = System.nanoTime();
        List<TableMaintenance> tables = new ArrayList<>();
        Optional<FileMaintenance> file = Optional.empty();
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Connection connection = database.connection()) {
            if (database.dialect().kind() == DatabaseKind.POSTGRESQL) {
                tables = postgres(connection, started, dryRun, problems);
            } else {
                file = Optional.of(sqlite(connection, dryRun, notes));
            }
        } catch (SQLException e) {
            problems.add("maintenance stopped: " + Errors.describe(e));
        }
        MaintenanceReport report = new MaintenanceReport(
                "maintenance",
                dryRun,
                started,
                Duration.ofNanos(System.nanoTime() - startedNanos),
                tables,
                file,
                notes,
                problems);
        log(report);
        return report;
    }

    private List<TableMaintenance> postgres(Connection connection, Instant now, boolean dryRun, List<String> problems)
            throws SQLException {
        MaintenanceSettings maintenance = settings.maintenance();
        ManagedTables managed = ManagedTables.plan(connection, database.dialect(), settings.enabledPolicies(), now);
        managed.problems().forEach((policy, problem) -> problems.add(policy + " - " + problem));
        Set<TableName> fullTables = new LinkedHashSet<>();
        for (String name : maintenance.vacuumFullTables()) {
            Optional<Table> table = database.dialect().describe(connection, TableName.parse(name));
            if (table.isPresent()) {
                fullTables.add(table.get().name());
            } else {
                problems.add("runsweep.maintenance.vacuum-full-tables: table \"" + name + "\" does not exist");
            }
        }
        Set<TableName> all = new LinkedHashSet<>(managed.tables());
        all.addAll(fullTables);
        return new PostgresMaintenance(maintenance, settings.database().lockTimeout(), database.dialect(), stop)
                .scheduled(connection, List.copyOf(all), fullTables, dryRun);
    }

    private FileMaintenance sqlite(Connection connection, boolean dryRun, List<String> notes) throws SQLException {
        if (!settings.maintenance().vacuumFullTables().isEmpty()) {
            notes.add("runsweep.maintenance.vacuum-full-tables applies to PostgreSQL only; on SQLite see"
                    + " runsweep.maintenance.sqlite.full-vacuum");
        }
        return new SqliteMaintenance(settings.maintenance(), database.dialect(), stop)
                .run(connection, database.url().sqliteFile().orElseThrow(), dryRun, notes);
    }

    private static void log(MaintenanceReport report) {
        report.problems().forEach(p -> LOG.error("maintenance - {}", p));
        long failed = report.tables().stream().filter(t -> t.step().failed()).count()
                + report.file().stream()
                        .flatMap(f -> f.steps().stream())
                        .filter(Step::failed)
                        .count();
        LOG.info(
                "maintenance - {}{}, {} failed or refused, {} skipped, {} ({})",
                report.dryRun() ? "dry run: " : "",
                Formats.count(report.tables().size(), "table"),
                Formats.count(failed, "statement"),
                report.skipped(),
                Formats.count(report.problems().size(), "problem"),
                Formats.seconds(report.duration()));
    }
}
