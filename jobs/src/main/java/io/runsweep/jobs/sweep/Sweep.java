package io.runsweep.jobs.sweep;

import io.runsweep.config.MaintenanceSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.maintenance.VacuumAfterPurge;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgePlanner;
import io.runsweep.jobs.purge.PurgePreview;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.PurgeRunner;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.purge.Summaries;
import io.runsweep.sql.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs policies once, one after another. A policy that fails is reported and the others still run.
 * A dry run plans exactly as a real run does and hands the plan to {@link PurgePreview} instead.
 */
public final class Sweep {
    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);

    private final Database database;
    private final RunOptions options;
    private final Clock clock;
    private final StopSignal stop;
    private final Optional<VacuumAfterPurge> vacuum;
    private final boolean estimateCounts;

    public Sweep(Database database, RunOptions options, Clock clock, StopSignal stop) {
        this(database, options, clock, stop, Optional.empty(), false);
    }

    private Sweep(
            Database database,
            RunOptions options,
            Clock clock,
            StopSignal stop,
            Optional<VacuumAfterPurge> vacuum,
            boolean estimateCounts) {
        this.database = database;
        this.options = options;
        this.clock = clock;
        this.stop = stop;
        this.vacuum = vacuum;
        this.estimateCounts = estimateCounts;
    }

    /** The same sweep, whose dry run takes the database's row estimates instead of counting (PostgreSQL). */
    public Sweep estimatingCounts() {
        return new Sweep(database, options, clock, stop, vacuum, true);
    }

    /**
     * The same sweep, with each policy followed by the VACUUM (ANALYZE) its deletes call for on PostgreSQL
     * ({@code runsweep.maintenance.vacuum-after-rows}, {@code vacuum-dead-fraction}); a dry run shows it.
     */
    public Sweep withMaintenance(MaintenanceSettings settings) {
        return new Sweep(
                database,
                options,
                clock,
                stop,
                Optional.of(new VacuumAfterPurge(database, settings, options.lockTimeout(), clock)),
                estimateCounts);
    }

    public SweepReport run(List<PolicySettings> policies, boolean dryRun, PurgeProgress progress) {
        Instant started = clock.instant();
        List<PolicyReport> reports = new ArrayList<>();
        List<MaintenanceReport> maintenance = new ArrayList<>();
        for (PolicySettings policy : policies) {
            if (stop.raised()) {
                break;
            }
            reports.add(log(runOne(policy, started, dryRun, progress, maintenance)));
        }
        return new SweepReport(dryRun, started, reports, maintenance, Duration.between(started, clock.instant()));
    }

    /**
     * Runs one policy now, for real, and logs nothing: for a caller that writes its own summary line (the
     * daemon, one line per job run).
     *
     * @param stopRequested asked between batches; true ends the run after the batch under way
     */
    public PolicyReport runPolicy(PolicySettings policy, PurgeProgress progress, BooleanSupplier stopRequested) {
        StopSignal jobStop =
                StopSignal.whenever(() -> stop.raised() || stopRequested.getAsBoolean(), "the daemon stopping");
        return new Sweep(database, options, clock, jobStop, vacuum, estimateCounts)
                .runOne(policy, clock.instant(), false, progress, new ArrayList<>());
    }

    /** Every cutoff is taken from {@code now}, the sweep's start, so one run judges all rows by one clock. */
    private PolicyReport runOne(
            PolicySettings policy,
            Instant now,
            boolean dryRun,
            PurgeProgress progress,
            List<MaintenanceReport> maintenance) {
        long started = System.nanoTime();
        PurgePlan plan;
        try (Connection connection = database.connection()) {
            plan = new PurgePlanner(database.dialect()).plan(connection, policy, now);
        } catch (PlanException e) {
            return notPlanned(policy, started, e.getMessage());
        } catch (SQLException e) {
            return notPlanned(policy, started, "could not read the catalog: " + Errors.describe(e));
        }
        PolicyReport report = dryRun
                ? new PurgePreview(database, options.allowLarge(), estimateCounts).preview(plan)
                : new PurgeRunner(database, options, stop).run(plan, progress);
        vacuum.flatMap(v -> v.after(plan, report, dryRun)).ifPresent(maintenance::add);
        return report;
    }

    private static PolicyReport notPlanned(PolicySettings policy, long startedNanos, String error) {
        return PolicyReport.failed(
                policy.name(),
                policy.table(),
                Optional.empty(),
                List.of(),
                0,
                Duration.ofNanos(System.nanoTime() - startedNanos),
                error,
                List.of());
    }

    private static PolicyReport log(PolicyReport report) {
        switch (report.outcome()) {
            case FAILED -> LOG.error("{} - {}", report.policy(), report.error().orElse("failed"));
            case PREVIEWED -> LOG.info("{} - dry run: would delete {}", report.policy(), Summaries.rows(report));
            case SUCCEEDED ->
                LOG.info(
                        "{} - deleted {} in {} batches ({}){}",
                        report.policy(),
                        Summaries.rows(report),
                        report.batches(),
                        Formats.seconds(report.duration()),
                        Summaries.stop(report));
        }
        return report;
    }
}
