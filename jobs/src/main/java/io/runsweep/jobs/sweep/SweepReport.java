package io.runsweep.jobs.sweep;

import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.purge.PolicyReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one sweep: every selected policy's report, in the order they ran.
 *
 * @param maintenance the VACUUMs that followed policies, in order (empty without {@link Sweep#withMaintenance})
 * @param notRun the selected policies a stop came before, in order; empty when every one ran
 * @param stoppedBy what stopped the sweep before them (a signal), when {@code notRun} is not empty
 */
public record SweepReport(
        boolean dryRun,
        Instant startedAt,
        List<PolicyReport> policies,
        List<MaintenanceReport> maintenance,
        Duration duration,
        List<String> notRun,
        Optional<String> stoppedBy) {

    public SweepReport {
        policies = List.copyOf(policies);
        maintenance = List.copyOf(maintenance);
        notRun = List.copyOf(notRun);
    }

    /** A sweep that ran every selected policy. */
    public SweepReport(
            boolean dryRun,
            Instant startedAt,
            List<PolicyReport> policies,
            List<MaintenanceReport> maintenance,
            Duration duration) {
        this(dryRun, startedAt, policies, maintenance, duration, List.of(), Optional.empty());
    }

    /** A policy failed, or a VACUUM after one failed. */
    public boolean anyFailed() {
        return policies.stream().anyMatch(p -> p.outcome() == PolicyReport.Outcome.FAILED)
                || maintenance.stream().anyMatch(MaintenanceReport::anyFailed);
    }
}
