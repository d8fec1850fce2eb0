package io.runsweep.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.jobs.Sweep;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.metrics.BatchMetrics;
import io.runsweep.jobs.schedule.PolicyJob;
import io.runsweep.jobs.schedule.ScheduledJob;
import io.runsweep.sql.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon schedules, built once its database is reachable. Today one job per enabled policy;
 * checks and maintenance jobs join the list here.
 */
@FunctionalInterface
interface DaemonJobs {
  List<ScheduledJob> create(Database database, MeterRegistry registry);

  static DaemonJobs policies(Settings settings, Clock clock) {
    return (database, registry) -> {
      RunOptions options = new RunOptions(settings.database().lockTimeout(), settings.batch(), false);
      Sweep sweep = new Sweep(database, options, clock, new StopSignal());
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
    return (database, registry) -> {
      List<ScheduledJob> all = new ArrayList<>(create(database, registry));
      all.addAll(more.create(database, registry));
      return all;
    };
  }
}
