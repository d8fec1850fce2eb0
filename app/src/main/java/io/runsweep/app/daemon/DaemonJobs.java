package io.runsweep.app.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.maintenance.Maintenance;
import io.runsweep.jobs.metrics.BatchMetrics;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.schedule.ChecksCycle;
import io.runsweep.jobs.schedule.ChecksJob;
import io.runsweep.jobs.schedule.JobStates;
import io.runsweep.jobs.schedule.MaintenanceJob;
import io.runsweep.jobs.schedule.PolicyJob;
import io.runsweep.jobs.schedule.ScheduledJob;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon schedules, built once its database is reachable. Today one job per enabled policy;
 * checks and maintenance jobs join the list here.
 */
@FunctionalInterface
public interface DaemonJobs {
    /**
     * @param history what the daemon knows of its jobs' runs: the checks' job-health alerts read it
     */
    public List<ScheduledJob> create(Database database, MeterRegistry registry, JobStates history);

    /** Every enabled policy, the checks and alerts, and the maintenance job: what {@code runsweep daemon} runs. */
    public static DaemonJobs all(Settings settings, Clock clock) {
        return policies(settings, clock)
                .and((database, registry, history) -> List.of(
                        new ChecksJob(
                                new ChecksCycle(database, settings, history::lastSuccess, registry, clock),
                                settings.checks().schedule()),
                        new MaintenanceJob(
                                new Maintenance(database, settings, clock),
                                settings.maintenance().analyzeSchedule())));
    }

    public static DaemonJobs policies(Settings settings, Clock clock) {
        return (database, registry, history) -> {
            RunOptions options = new RunOptions(settings.database().lockTimeout(), settings.batch(), false);
            Sweep sweep = new Sweep(database, options, clock, new StopSignal())
                    .withMaintenance(settings.maintenance())
                    .withThrottle(settings.throttle());
            BatchMetrics batches = new BatchMetrics(registry);
            List<ScheduledJob> jobs = new ArrayList<>();
            for (PolicySettings policy : settings.enabledPolicies()) {
                jobs.add(new PolicyJob(sweep, policy, batches));
            }
            return jobs;
        };
    }

    /** These jobs, then {@code more}'s. */
    default DaemonJobs and(DaemonJobs more) {
        return (database, registry, history) -> {
            List<ScheduledJob> all = new ArrayList<>(create(database, registry, history));
            all.addAll(more.create(database, registry, history));
            return all;
        };
    }
}
