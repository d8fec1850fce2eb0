package io.runsweep.jobs.sweep;

import io.runsweep.config.MaintenanceSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.ThrottleSettings;
import io.runsweep.jobs.archive.ArchiveKeep;
import io.runsweep.jobs.archive.ArchivePlanner;
import io.runsweep.jobs.archive.Archives;
import io.runsweep.jobs.common.Backoff;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.maintenance.VacuumAfterPurge;
import io.runsweep.jobs.purge.LockHolders;
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
import io.runsweep.jobs.purge.Throttle;
import io.runsweep.jobs.throttle.ServerThrottle;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Database;
import io.runsweep.sql.JobLock;
import io.runsweep.sql.connect.Databases;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
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
    private final Optional<List<PolicySettings>> keepers;
    private final Backoff backoff;
    private final Throttle.Factory throttles;
    private final ArchiveSql archiveSql;
    private final boolean estimateCounts;

    public Sweep(Database database, RunOptions options, Clock clock, StopSignal stop) {
        this(database, options, clock, stop, Optional.empty(), Optional.empty(), Throttle.Factory.NONE, false);
    }

    private Sweep(
            Database database,
            RunOptions options,
            Clock clock,
            StopSignal stop,
            Optional<VacuumAfterPurge> vacuum,
            Optional<List<PolicySettings>> keepers,
            Throttle.Factory throttles,
            boolean estimateCounts) {
        this.database = database;
        this.options = options;
        this.clock = clock;
        this.stop = stop;
        this.vacuum = vacuum;
        this.keepers = keepers;
        this.backoff = Backoff.doubling(options.batch().retryBackoff(), true);
        this.throttles = throttles;
        this.archiveSql = Databases.archiveSql(database.kind());
        this.estimateCounts = estimateCounts;
    }

    /**
     * The same sweep, with every policy's cascades held to what {@code configured} (the enabled policies, run now
     * or not) keep: a run whose cascades would take rows one of them keeps is refused. Without it, the policies a
     * sweep runs are the ones whose rows are kept.
     */
    public Sweep guarding(List<PolicySettings> configured) {
        return new Sweep(
                database,
                options,
                clock,
                stop,
                vacuum,
                Optional.of(List.copyOf(configured)),
                throttles,
                estimateCounts);
    }

    /**
     * The same sweep, its batches giving way to lagging replicas and to sessions waiting on their locks, as
     * {@code runsweep.throttle} says (PostgreSQL).
     */
    public Sweep withThrottle(ThrottleSettings settings) {
        return new Sweep(
                database,
                options,
                clock,
                stop,
                vacuum,
                keepers,
                ServerThrottle.factory(settings, database.kind()),
                estimateCounts);
    }

    /** The same sweep, whose dry run takes the database's row estimates instead of counting (PostgreSQL). */
    public Sweep estimatingCounts() {
        return new Sweep(database, options, clock, stop, vacuum, keepers, throttles, true);
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
                Optional.of(new VacuumAfterPurge(database, settings, options.lockTimeout(), clock, stop)),
                keepers,
                throttles,
                estimateCounts);
    }

    public SweepReport run(List<PolicySettings> policies, boolean dryRun, PurgeProgress progress) {
        Instant started = clock.instant();
        List<PolicySettings> kept = keepers.orElse(policies);
        List<PolicySettings> all = expanded(policies);
        Function<PolicySettings, Optional<Purged>> purgeUnlessStopped = policy ->
                stop.raised() ? Optional.empty() : purge(policy, kept, started, dryRun, progress, JobLock.NONE);
        List<PolicyReport> reports = new ArrayList<>();
        List<MaintenanceReport> maintenance = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        int atOnce = dryRun ? Math.min(all.size(), database.pool().getMaximumPoolSize()) : 1;
        // A dry run's VACUUM checks look for sessions holding snapshots: only once no preview holds one.
        List<Optional<Purged>> previews = atOnce > 1
                ? DryRunsAtOnce.started(all, atOnce, purgeUnlessStopped).stream()
                        .map(Supplier::get)
                        .toList()
                : List.of();
        for (int i = 0; i < all.size(); i++) {
            Optional<Purged> purged = atOnce > 1 ? previews.get(i) : purgeUnlessStopped.apply(all.get(i));
            if (purged.isEmpty()) {
                notRun.add(all.get(i).name());
                continue;
            }
            vacuumAfter(purged.get(), dryRun).ifPresent(maintenance::add);
            reports.add(log(purged.get().report()));
        }
        if (!notRun.isEmpty()) {
            LOG.warn("stopped by {}; not run: {}", stop.reason(), String.join(", ", notRun));
        }
        return new SweepReport(
                dryRun,
                started,
                reports,
                maintenance,
                Duration.between(started, clock.instant()),
                notRun,
                notRun.isEmpty() ? Optional.empty() : Optional.of(stop.reason()));
    }

    /** Each policy preceded by the policies of its retention overrides that are shorter than its own age. */
    private static List<PolicySettings> expanded(List<PolicySettings> policies) {
        return policies.stream()
                .flatMap(p -> p.withOverridesExpanded().stream())
                .toList();
    }

    /**
     * Runs one policy now, for real, and logs nothing: for a caller that writes its own summary line (the
     * daemon, one line per job run).
     *
     * @param stopRequested asked between batches; true ends the run after the batch under way
     */
    public PolicyReport runPolicy(PolicySettings policy, PurgeProgress progress, BooleanSupplier stopRequested) {
        return runPolicy(policy, progress, stopRequested, JobLock.NONE);
    }

    /**
     * The same, for a daemon that holds the job's lock between daemons: each batch confirms it still does.
     *
     * @param lock the job's lock; the run stops when another daemon takes it
     */
    public PolicyReport runPolicy(
            PolicySettings policy, PurgeProgress progress, BooleanSupplier stopRequested, JobLock lock) {
        StopSignal jobStop = stop.orWhen(stopRequested, "the daemon stopping");
        Sweep job = new Sweep(database, options, clock, jobStop, vacuum, keepers, throttles, estimateCounts);
        Instant now = clock.instant();
        List<PolicyReport> parts = new ArrayList<>();
        for (PolicySettings part : policy.withOverridesExpanded()) {
            if (!parts.isEmpty() && jobStop.raised()) {
                break;
            }
            long started = System.nanoTime();
            Purged purged = job.purge(part, keepers.orElse(List.of()), now, false, progress, lock)
                    .orElseGet(() -> stoppedBeforeFirstBatch(part, started, jobStop.reason()));
            job.vacuumAfter(purged, false);
            parts.add(purged.report());
        }
        return PolicyReport.merged(policy.name(), parts);
    }

    /**
     * A policy's report; with its plan and the next transaction id read before its first batch, for the VACUUM
     * after it. No plan when it could not be planned.
     */
    private record Purged(PolicyReport report, Optional<PurgePlan> plan, OptionalLong startXid) {}

    /**
     * Every cutoff is taken from {@code now}, the sweep's start, so one run judges all rows by one clock. Empty when
     * the stop came while it was still reading (planning, measuring before the first batch, or a dry run's counts):
     * its reads are cancelled, and it deleted nothing.
     */
    private Optional<Purged> purge(
            PolicySettings policy,
            List<PolicySettings> kept,
            Instant now,
            boolean dryRun,
            PurgeProgress progress,
            JobLock lock) {
        long started = System.nanoTime();
        PurgePlan plan;
        try {
            Optional<PurgePlan> planned = plan(policy, kept, now);
            if (planned.isEmpty()) {
                return Optional.empty();
            }
            plan = planned.get();
        } catch (PlanException e) {
            return Optional.of(notPlanned(policy, started, e.getMessage()));
        } catch (SQLException e) {
            return Optional.of(notPlanned(
                    policy,
                    started,
                    "could not plan it (" + policy.location() + "): " + Errors.describe(e)
                            + LockHolders.of(database, e, LockHolders.namedBy(policy))));
        }
        OptionalLong purgeStartXid = dryRun
                ? OptionalLong.empty()
                : vacuum.map(VacuumAfterPurge::beforePurge).orElse(OptionalLong.empty());
        Optional<PolicyReport> report = dryRun
                ? new PurgePreview(database, options.allowLarge(), estimateCounts).previewUnlessStopped(plan, stop)
                : new PurgeRunner(database, options, stop, lock, throttles, new Archives(archiveSql, clock))
                        .runUnlessStopped(
                                plan,
                                progress.tellingCascadesTo((name, cascades) -> LOG.info("{} - {}", name, cascades)));
        return report.map(r -> new Purged(keepArchives(plan, r, now, dryRun), Optional.of(plan), purgeStartXid));
    }

    /** The VACUUM a policy's deletes call for (in a dry run, shown), when maintenance is on and it was planned. */
    private Optional<MaintenanceReport> vacuumAfter(Purged purged, boolean dryRun) {
        return purged.plan()
                .flatMap(plan -> vacuum.flatMap(v -> v.after(plan, purged.report(), purged.startXid(), dryRun)));
    }

    /** archive.keep, after a run that did not fail: what it removed (or, in a dry run, would) is a note. */
    private PolicyReport keepArchives(PurgePlan plan, PolicyReport report, Instant now, boolean dryRun) {
        if (plan.archive().isEmpty() || report.outcome() == PolicyReport.Outcome.FAILED) {
            return report;
        }
        try (Connection connection = database.connection()) {
            for (String removed :
                    new ArchiveKeep(archiveSql).apply(connection, plan.archive().get(), now, dryRun)) {
                report = report.withNote(removed);
            }
        } catch (SQLException e) {
            report = report.withNote("archive.keep failed: " + Errors.describe(e));
        } catch (IOException e) {
            report = report.withNote("archive.keep failed: " + e.getMessage());
        }
        return report;
    }

    /**
     * Plans on a connection of its own, trying again, as a batch would, when the session is lost or a lock
     * timeout or another passing failure interrupts it; throws the last failure once the retries are spent. Empty
     * when the stop came while it planned (it only reads, so its statement is cancelled).
     */
    private Optional<PurgePlan> plan(PolicySettings policy, List<PolicySettings> kept, Instant now)
            throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = database.connection()) {
                return stop.unlessStopped(database.dialect(), connection, () -> {
                    PurgePlan planned = new PurgePlanner(database.dialect()).plan(connection, policy, kept, now);
                    return policy.archive().enabled()
                            ? new ArchivePlanner(database.dialect(), archiveSql).plan(connection, planned)
                            : planned;
                });
            } catch (SQLException e) {
                boolean passing = e instanceof SQLTransientConnectionException
                        || database.dialect().isTransient(e)
                        || database.dialect().isConnectionLost(e);
                if (!passing || attempt > options.batch().retries()) {
                    throw e;
                }
                Duration delay = backoff.delay(attempt);
                LOG.warn(
                        "{} - planning failed: {}; retry {} of {} in {} ms",
                        policy.name(),
                        Errors.describe(e),
                        attempt,
                        options.batch().retries(),
                        delay.toMillis());
                if (stop.sleep(delay.toMillis())) {
                    throw e;
                }
            }
        }
    }

    /** A run the stop cut off while it planned or measured: nothing deleted, and stopped rather than failed. */
    private static Purged stoppedBeforeFirstBatch(PolicySettings policy, long startedNanos, String reason) {
        PolicyReport stopped = new PolicyReport(
                policy.name(),
                policy.table(),
                Optional.empty(),
                PolicyReport.Outcome.SUCCEEDED,
                List.of(),
                0,
                Duration.ofNanos(System.nanoTime() - startedNanos),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.of(new PolicyReport.Stop(reason, -1)));
        return new Purged(stopped, Optional.empty(), OptionalLong.empty());
    }

    private static Purged notPlanned(PolicySettings policy, long startedNanos, String error) {
        PolicyReport failed = PolicyReport.failed(
                policy.name(),
                policy.table(),
                Optional.empty(),
                List.of(),
                0,
                Duration.ofNanos(System.nanoTime() - startedNanos),
                error,
                List.of());
        return new Purged(failed, Optional.empty(), OptionalLong.empty());
    }

    private static PolicyReport log(PolicyReport report) {
        switch (report.outcome()) {
            case FAILED ->
                LOG.error("{} - {}{}", report.policy(), report.error().orElse("failed"), Summaries.notes(report));
            case PREVIEWED ->
                LOG.info(
                        "{} - dry run: would delete {}{}",
                        report.policy(),
                        Summaries.rows(report),
                        Summaries.archived(report));
            case SUCCEEDED ->
                LOG.info(
                        "{} - {} ({}){}{}{}{}",
                        report.policy(),
                        Summaries.deleted(report),
                        Formats.seconds(report.duration()),
                        Summaries.archived(report),
                        Summaries.throttled(report),
                        Summaries.stop(report),
                        Summaries.notes(report));
        }
        return report;
    }
}
