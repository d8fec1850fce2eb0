package io.runsweep.jobs.sweep;

import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.purge.PolicyReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one sweep: every selected policy's report, in the order they ran.
 *
 * @param maintenance the VACUUMs that followed policies, in order (empty without {@link Sweep#withMaintenance})
 */
public record SweepReport(
        boolean dryRun,
        Instant startedAt,
        List<PolicyReport> policies,
        List<MaintenanceReport> maintenance,
        Duration duration) {

    public SweepReport {
        policies = List.copyOf(policies);
        maintenance = List.copyOf(maintenance);
    }

    /** A policy failed, or a VACUUM after one failed. */
    public boolean anyFailed() {
        return policies.stream().anyMatch(p -> p.outcome() == PolicyReport.Outcome.FAILED)
                || maintenance.stream().anyMatch(MaintenanceReport::anyFailed);
    }
}
