package io.runsweep.jobs;

import io.runsweep.jobs.purge.PolicyReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The outcome of one sweep: every selected policy's report, in the order they ran. */
public record SweepReport(boolean dryRun, Instant startedAt, List<PolicyReport> policies, Duration duration) {

  public SweepReport {
    policies = List.copyOf(policies);
  }

  public boolean anyFailed() {
    return policies.stream().anyMatch(p -> p.outcome() == PolicyReport.Outcome.FAILED);
  }
}
