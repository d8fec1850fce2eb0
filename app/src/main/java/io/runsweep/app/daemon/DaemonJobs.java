package io.runsweep.app.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.config.PartitionSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.maintenance.Maintenance;
import io.runsweep.jobs.metrics.BatchMetrics;
import io.runsweep.jobs.metrics.PartitionMetrics;
import io.runsweep.jobs.partition.PartitionMaintenance;
import io.runsweep.jobs.partition.PartitionProgress;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.schedule.ChecksCycle;
import io.runsweep.jobs.schedule.ChecksJob;
import io.runsweep.jobs.schedule.JobStates;
import io.runsweep.jobs.schedule.MaintenanceJob;
import io.runsweep.jobs.schedule.PartitionJob;
import io.runsweep.jobs.schedule.PolicyJob;
import io.runsweep.jobs.schedule.ScheduledJob;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon schedules, built once its database is reachable: a job per enabled policy, a job per enabled
 * partition set, the checks and the maintenance job.
 */
@FunctionalInterface
public interface DaemonJobs {
    /**
     * @param history what the daemon knows of its jobs' runs: the checks' job-health alerts read it
     * @param stop raised when the daemon begins to stop: it cancels what its jobs may cut off (planning, measuring, a
     *     VACUUM) and ends each purge after its batch under way
     */
    public List<ScheduledJob> create(Database database, MeterRegistry registry, JobStates history, StopSignal stop);

    /**
     * Every enabled policy and partition set, the checks and alerts, and the maintenance job: what {@code
     * runsweep daemon} runs.
     */
    public static DaemonJobs all(Settings settings, Clock clock) {
        return policies(settings, clock)
                .and(partitions(settings, clock))
                .and((database, registry, history, stop) -> List.of(
                        new ChecksJob(
                                new ChecksCycle(database, settings, history::lastSuccess, registry, clock, stop),
                                settings.checks().schedule()),
                        new MaintenanceJob(
                                new Maintenance(database, settings, clock, stop),
                                settings.maintenance().analyzeSchedule())));
    }

    public static DaemonJobs policies(Settings settings, Clock clock) {
        return (database, registry, history, stop) -> {
            RunOptions options = new RunOptions(settings.database().lockTimeout(), settings.batch(), false);
            Sweep sweep = new Sweep(database, options, clock, stop)
                    .withMaintenance(settings.maintenance())
                    .guarding(settings.enabledPolicies())
                    .withThrottle(settings.throttle());
            BatchMetrics batches = new BatchMetrics(registry, currentSchema(database));
            List<ScheduledJob> jobs = new ArrayList<>();
            for (PolicySettings policy : settings.enabledPolicies()) {
                jobs.add(new PolicyJob(sweep, policy, batches));
            }
            return jobs;
        };
    }

    private static String currentSchema(Database database) {
        try (Connection connection = database.connection()) {
            return database.dialect().currentSchema(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the current schema: " + Errors.describe(e), e);
        }
    }

    /** A job per enabled partition set, named {@code partitions.<set>}. */
    public static DaemonJobs partitions(Settings settings, Clock clock) {
        return (database, registry, history, stop) -> {
            PartitionMaintenance maintenance = new PartitionMaintenance(
                    database, settings.database().lockTimeout(), clock, PartitionProgress.NONE);
            PartitionMetrics metrics = new PartitionMetrics(registry);
            List<ScheduledJob> jobs = new ArrayList<>();
            for (PartitionSettings set : settings.enabledPartitions()) {
                jobs.add(new PartitionJob(maintenance, set, metrics));
            }
            return jobs;
        };
    }

    /** These jobs, then {@code more}'s. */
    default DaemonJobs and(DaemonJobs more) {
        return (database, registry, history, stop) -> {
            List<ScheduledJob> all = new ArrayList<>(create(database, registry, history, stop));
            all.addAll(more.create(database, registry, history, stop));
            return all;
        };
    }
}
