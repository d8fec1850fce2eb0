package io.runsweep.jobs.checks;

import io.runsweep.config.AlertSettings;
import io.runsweep.config.CheckSettings.StuckSettings;
import io.runsweep.config.PartitionSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.partition.PartitionPlan;
import io.runsweep.jobs.partition.PartitionPlanner;
import io.runsweep.jobs.purge.LockHolders;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.Stats;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.PostgresPartitions;
import io.runsweep.sql.postgresql.PostgresVacuum;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs every check once, read-only: per managed table (each enabled policy's table, its dependents and
 * cascades, and every table an alert names) its bytes and rows; per enabled policy its backlog and oldest
 * row; every stuck check; on SQLite the file. A check that fails becomes a problem in the report and the
 * others still run.
 */
public final class Checks {
    private final Database database;
    private final Settings settings;
    private final Clock clock;
    private final Stats stats;
    private final StopSignal stop;

    public Checks(Database database, Settings settings, Clock clock) {
        this(database, settings, clock, new StopSignal());
    }

    /** @param stop cancels the read under way and keeps the next check from starting (a stopping daemon) */
    public Checks(Database database, Settings settings, Clock clock, StopSignal stop) {
        this.database = database;
        this.settings = settings;
        this.clock = clock;
        this.stats = database.stats();
        this.stop = stop;
    }

    public ChecksReport run() {
        Instant now = clock.instant();
        long started = System.nanoTime();
        Run run = new Run();
        try (Connection connection = database.connection()) {
            Optional<Boolean> checked = stop.unlessStopped(database.dialect(), connection, () -> {
                run.checkAll(connection, now);
                return true;
            });
            if (checked.isEmpty()) {
                run.problems.add("stopped by " + stop.reason() + " before every check had run");
            }
        } catch (SQLException e) {
            run.problems.add("cannot read the database: " + Errors.describe(e));
        }
        return new ChecksReport(
                now,
                Duration.ofNanos(System.nanoTime() - started),
                run.tables,
                run.policies,
                run.stuck,
                run.file,
                run.problems,
                run.partitions,
                run.snapshot);
    }

    /** The results of one run, gathered as its checks go. */
    private final class Run {
        final List<TableCheck> tables = new ArrayList<>();
        final List<PolicyCheck> policies = new ArrayList<>();
        final List<StuckCheck> stuck = new ArrayList<>();
        Optional<FileStats> file = Optional.empty();
        final List<String> problems = new ArrayList<>();
        final List<PartitionCheck> partitions = new ArrayList<>();
        Optional<SnapshotCheck> snapshot = Optional.empty();

        void checkAll(Connection connection, Instant now) {
            MeasuredTables managed = new MeasuredTables();
            PolicyChecks policyChecks = new PolicyChecks(database.dialect(), stats);
            for (PolicySettings policy : settings.enabledPolicies()) {
                attempt(
                                "policy " + policy.name(),
                                LockHolders.namedBy(policy),
                                () -> policyChecks.check(connection, policy, now, managed))
                        .ifPresent(policies::add);
            }
            for (AlertSettings.Alert alert : settings.alerts().alerts()) {
                if (alert.kind().subjectKey().equals("table")) {
                    attempt(
                            "alert " + alert.name(),
                            List.of(),
                            () -> addAlertTable(connection, alert.subject(), managed));
                }
            }
            TableChecks tableChecks =
                    new TableChecks(database.dialect(), stats, settings.checks().exactCounts());
            Optional<String> schema =
                    attempt("schema", List.of(), () -> database.dialect().currentSchema(connection));
            for (MeasuredTables.Managed table : managed.all()) {
                attempt(
                                "table \"" + table.name() + "\"",
                                List.of(table.name()),
                                () -> tableChecks.check(connection, table, schema.orElse("")))
                        .flatMap(t -> t)
                        .ifPresent(tables::add);
            }
            StuckChecks stuckChecks = new StuckChecks(database.dialect());
            for (StuckSettings check : settings.checks().stuck().values()) {
                attempt(
                                "stuck check " + check.name(),
                                List.of(TableName.parse(check.table())),
                                () -> stuckChecks.check(connection, check, now))
                        .ifPresent(stuck::add);
            }
            if (database.kind() == DatabaseKind.POSTGRESQL) {
                snapshot = attempt(
                        "oldest snapshot",
                        List.of(),
                        () -> new SnapshotCheck(new PostgresVacuum().oldestSnapshot(connection)));
                PartitionPlanner planner = new PartitionPlanner(new PostgresPartitions());
                for (PartitionSettings set : settings.enabledPartitions()) {
                    attempt("partition set " + set.name(), List.of(TableName.parse(set.table())), () -> {
                                PartitionPlan plan = planner.plan(connection, set, now);
                                return new PartitionCheck(
                                        set.name(),
                                        plan.table().name().toString(),
                                        plan.expireBefore(),
                                        plan.expiring());
                            })
                            .ifPresent(partitions::add);
                }
            }
            file = database.url()
                    .sqliteFile()
                    .flatMap(path -> attempt("database file", List.of(), () -> stats.file(connection, path))
                            .flatMap(f -> f));
        }

        /** @param tables what the check reads: a lock timeout's problem names who held a lock on them */
        private <T> Optional<T> attempt(String subject, List<TableName> tables, Check<T> check) {
            if (stop.raised()) {
                return Optional.empty();
            }
            try {
                return Optional.of(check.run());
            } catch (SQLException e) {
                if (!stop.raised()) {
                    problems.add(subject + ": " + Errors.describe(e) + LockHolders.of(database, e, tables));
                }
            } catch (PlanException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
                problems.add(subject + ": " + e.getMessage());
            }
            return Optional.empty();
        }
    }

    private TableName addAlertTable(Connection connection, String name, MeasuredTables managed) throws SQLException {
        TableName table = database.dialect()
                .describe(connection, TableName.parse(name))
                .orElseThrow(
                        () -> new IllegalArgumentException("table \"" + name + "\" does not exist in the database"))
                .name();
        managed.add(table, name);
        return table;
    }

    @FunctionalInterface
    private interface Check<T> {
        T run() throws SQLException;
    }
}
