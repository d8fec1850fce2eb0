package io.runsweep.jobs.partition;

import io.runsweep.config.PartitionSettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.PartitionedTable;
import io.runsweep.sql.postgresql.PostgresPartitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies partition sets once: makes the missing partitions of the current and next {@code premake}
 * intervals, then detaches each expired partition and drops it or moves it, and reports what an operator
 * should hear about. A set that fails is reported and the others still run. A dry run plans exactly as a
 * real run does and runs none of the DDL.
 */
public final class PartitionMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintenance.class);

    private final Database database;
    private final Duration lockTimeout;
    private final Clock clock;
    private final PartitionProgress progress;
    private final PostgresPartitions partitions = new PostgresPartitions();

    public PartitionMaintenance(Database database, Duration lockTimeout, Clock clock, PartitionProgress progress) {
        this.database = database;
        this.lockTimeout = lockTimeout;
        this.clock = clock;
        this.progress = progress;
    }

    public PartitionRunReport run(List<PartitionSettings> sets, boolean dryRun) {
        Instant started = clock.instant();
        List<PartitionReport> reports = new ArrayList<>();
        for (PartitionSettings set : sets) {
            PartitionReport report = runOne(set, started, dryRun);
            log(report);
            reports.add(report);
        }
        return new PartitionRunReport(dryRun, started, reports, Duration.between(started, clock.instant()));
    }

    private PartitionReport runOne(PartitionSettings set, Instant now, boolean dryRun) {
        long started = System.nanoTime();
        if (database.dialect().kind() != DatabaseKind.POSTGRESQL) {
            return failed(
                    set,
                    started,
                    "partitions need PostgreSQL's declarative partitioning; this database is" + " SQLite ("
                            + database.url().redacted() + ")");
        }
        try (Connection connection = database.connection()) {
            PartitionPlan plan = new PartitionPlanner(partitions).plan(connection, set, now);
            List<StepResult> steps =
                    dryRun ? plan.steps().stream().map(StepResult::planned).toList() : execute(connection, plan);
            PartitionedTable after = dryRun
                    ? plan.table()
                    : partitions.describe(connection, plan.table().name()).orElse(plan.table());
            return report(connection, plan, after, steps, dryRun, started);
        } catch (PlanException | IllegalStateException e) {
            return failed(set, started, e.getMessage());
        } catch (SQLException e) {
            return failed(set, started, "could not read the catalog: " + Errors.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(set, started, "interrupted while waiting to try a statement again");
        }
    }

    /** Creates first: a missing future partition hurts sooner than an expired one kept a little longer. */
    private List<StepResult> execute(Connection connection, PartitionPlan plan) throws InterruptedException {
        PartitionSettings set = plan.settings();
        DdlRunner runner = new DdlRunner(partitions, lockTimeout, set.lockAttempts(), set.lockBackoff(), progress);
        List<StepResult> results = new ArrayList<>();
        for (PartitionStep step : plan.creates()) {
            results.add(runner.run(connection, step));
        }
        boolean prepared = true;
        for (PartitionStep step : plan.prepare()) {
            StepResult result = runner.run(connection, step);
            prepared &= result.status() == StepResult.Status.DONE;
            results.add(result);
        }
        for (List<PartitionStep> chain : plan.expiries()) {
            Optional<String> blocked =
                    prepared ? Optional.empty() : Optional.of("not run: the archive schema could not be created");
            for (PartitionStep step : chain) {
                if (blocked.isPresent()) {
                    results.add(StepResult.skipped(step, blocked.get()));
                    continue;
                }
                StepResult result = runner.run(connection, step);
                results.add(result);
                if (result.status() == StepResult.Status.FAILED) {
                    blocked = Optional.of(
                            "not run: the " + step.action().word() + " of \"" + step.partition() + "\" failed");
                }
            }
        }
        return results;
    }

    private PartitionReport report(
            Connection connection,
            PartitionPlan plan,
            PartitionedTable after,
            List<StepResult> steps,
            boolean dryRun,
            long started)
            throws SQLException {
        PartitionSettings set = plan.settings();
        int future = PartitionPlanner.futurePartitions(after, set, plan.currentStart());
        long defaultRows = after.defaultPartition().isPresent()
                ? count(connection, after.defaultPartition().get())
                : 0;
        List<String> findings = new ArrayList<>(plan.conflicts());
        Instant currentEnd = Intervals.plus(set.interval(), plan.currentStart(), 1);
        if (after.partitions().stream().noneMatch(p -> p.covers(plan.currentStart(), currentEnd))) {
            findings.add("no partition covers the current interval (" + plan.currentStart() + " to " + currentEnd
                    + "): its rows go to the default partition, or fail when there is none");
        }
        if (future < set.premake()) {
            findings.add("only " + future + " of " + set.premake() + " future partitions exist"
                    + (dryRun ? "" : " after this run"));
        }
        if (defaultRows > 0) {
            findings.add(Formats.count(defaultRows, "row") + " in the default partition \""
                    + after.defaultPartition().get() + "\": \"" + set.column() + "\" falls in no range partition");
        }
        List<StepResult> failed = steps.stream()
                .filter(s -> s.status() == StepResult.Status.FAILED)
                .toList();
        PartitionReport.Outcome outcome = dryRun
                ? PartitionReport.Outcome.PREVIEWED
                : failed.isEmpty() ? PartitionReport.Outcome.SUCCEEDED : PartitionReport.Outcome.FAILED;
        Optional<String> error = failed.isEmpty()
                ? Optional.empty()
                : Optional.of(failed.size() + " of "
                        + steps.size() + " statements failed; the first, "
                        + failed.get(0).step().action().word() + " \""
                        + failed.get(0).step().partition() + "\": "
                        + failed.get(0).error().orElse(""));
        return new PartitionReport(
                set.name(),
                after.name().toString(),
                outcome,
                Optional.of(plan.expireBefore()),
                steps,
                future,
                set.premake(),
                after.defaultPartition().map(TableName::toString),
                defaultRows,
                findings,
                error,
                elapsed(started),
                plan.expiring());
    }

    private long count(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement s = partitions.countRows(table).prepare(connection, SqlParam.BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static PartitionReport failed(PartitionSettings set, long started, String error) {
        return new PartitionReport(
                set.name(),
                set.table(),
                PartitionReport.Outcome.FAILED,
                Optional.empty(),
                List.of(),
                0,
                set.premake(),
                Optional.empty(),
                0,
                List.of(),
                Optional.of(error),
                elapsed(started),
                List.of());
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static void log(PartitionReport report) {
        switch (report.outcome()) {
            case FAILED -> LOG.error("{} - {}", report.name(), report.error().orElse("failed"));
            case PREVIEWED ->
                LOG.info(
                        "{} - dry run: would run {} statements on \"{}\"",
                        report.name(),
                        report.steps().size(),
                        report.table());
            case SUCCEEDED ->
                LOG.info(
                        "{} - \"{}\": created {}, detached {}, dropped {}, archived {} ({} s)",
                        report.name(),
                        report.table(),
                        report.done(PartitionStep.Action.CREATE).size(),
                        report.done(PartitionStep.Action.DETACH).size(),
                        report.done(PartitionStep.Action.DROP).size(),
                        report.done(PartitionStep.Action.ARCHIVE).size(),
                        report.duration().toMillis() / 1000.0);
        }
        report.findings().forEach(f -> LOG.warn("{} - {}", report.name(), f));
    }
}
