package io.runsweep.jobs.maintenance;

import io.runsweep.config.MaintenanceSettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.PostgresVacuum;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's VACUUM (ANALYZE) after a purge, of each table it touched enough to need one, so that the
 * space of the deleted rows can be reused and the planner sees the table as it now is.
 */
public final class VacuumAfterPurge {
    private static final Logger LOG = LoggerFactory.getLogger(VacuumAfterPurge.class);

    private final Database database;
    private final PostgresVacuum vacuum = new PostgresVacuum();
    private final PostgresMaintenance maintenance;
    private final Clock clock;

    /** @param stop cancels a VACUUM under way and keeps the next from starting */
    public VacuumAfterPurge(
            Database database, MaintenanceSettings settings, Duration lockTimeout, Clock clock, StopSignal stop) {
        this.database = database;
        this.maintenance = new PostgresMaintenance(settings, lockTimeout, database.dialect(), stop);
        this.clock = clock;
    }

    /**
     * The next transaction id, read just before a purge begins: a snapshot held since before it sees every row
     * the purge deletes. Empty on SQLite, and when it could not be read (the VACUUM then runs as usual).
     */
    public OptionalLong beforePurge() {
        if (database.dialect().kind() != DatabaseKind.POSTGRESQL) {
            return OptionalLong.empty();
        }
        try (Connection connection = database.connection()) {
            return OptionalLong.of(vacuum.nextXid(connection));
        } catch (SQLException e) {
            LOG.debug("could not read the next transaction id before the purge: {}", Errors.describe(e));
            return OptionalLong.empty();
        }
    }

    /**
     * Runs (or, in a dry run, shows) the VACUUMs that the purge {@code report} of {@code plan} calls for.
     * Empty when it calls for none, and always on SQLite, where the maintenance job does the equivalent.
     * Call it right after the purge, on the thread that ran it: the pool then hands back the purge's own
     * connection, whose deletes reach the statistics only when it flushes them.
     */
    public Optional<MaintenanceReport> after(
            PurgePlan plan, PolicyReport report, OptionalLong purgeStartXid, boolean dryRun) {
        if (database.dialect().kind() != DatabaseKind.POSTGRESQL) {
            return Optional.empty();
        }
        Instant started = clock.instant();
        long startedNanos = System.nanoTime();
        List<TableMaintenance> tables = List.of();
        List<String> problems = new ArrayList<>();
        try (Connection connection = database.connection()) {
            tables = maintenance.afterPurge(connection, touched(plan, report, dryRun), purgeStartXid, dryRun);
        } catch (SQLException e) {
            problems.add("VACUUM after " + plan.name() + " stopped: " + Errors.describe(e));
        }
        if (tables.isEmpty() && problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MaintenanceReport(
                "after policy " + plan.name(),
                dryRun,
                started,
                Duration.ofNanos(System.nanoTime() - startedNanos),
                tables,
                Optional.empty(),
                List.of(),
                problems));
    }

    /**
     * The purge's tables with the rows it deleted from each; the tables its cascades reached, whose rows a
     * real run does not count, with none (a dry run counts them).
     */
    private static List<Touched> touched(PurgePlan plan, PolicyReport report, boolean dryRun) {
        Map<TableName, Long> counted = new LinkedHashMap<>();
        report.tables().forEach(t -> counted.merge(TableName.parse(t.table()), t.rows(), Long::sum));
        List<Touched> touched = new ArrayList<>();
        counted.forEach((table, rows) -> touched.add(new Touched(table, OptionalLong.of(rows))));
        if (!dryRun) {
            plan.cascades().stream()
                    .map(PurgePlan.Cascade::table)
                    .distinct()
                    .filter(t -> !counted.containsKey(t))
                    .forEach(t -> touched.add(new Touched(t, OptionalLong.empty())));
        }
        return touched;
    }
}
