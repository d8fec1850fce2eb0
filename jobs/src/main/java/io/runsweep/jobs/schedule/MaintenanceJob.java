package io.runsweep.jobs.schedule;

import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.maintenance.Maintenance;
import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.maintenance.Step;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** ANALYZE, VACUUM of bloated tables and SQLite's upkeep, on runsweep.maintenance.analyze-schedule. */
public final class MaintenanceJob implements ScheduledJob {
    private final Maintenance maintenance;
    private final String schedule;

    public MaintenanceJob(Maintenance maintenance, String schedule) {
        this.maintenance = maintenance;
        this.schedule = schedule;
    }

    @Override
    public String name() {
        return "maintenance";
    }

    @Override
    public String schedule() {
        return schedule;
    }

    /** A run a stopping daemon cut short (a statement cancelled, or never begun) is stopped, not succeeded. */
    @Override
    public JobResult run(BooleanSupplier stopRequested) {
        MaintenanceReport report = maintenance.run();
        long skipped = report.skipped()
                + report.file().stream()
                        .flatMap(f -> f.steps().stream())
                        .filter(Step::skipped)
                        .count();
        String summary = "maintained " + Formats.count(report.tables().size() - report.skipped(), "table")
                + (report.file().isPresent() ? " and the file" : "")
                + (skipped > 0 ? "; skipped " + skipped + " (see the log)" : "");
        if (report.anyFailed()) {
            return JobResult.failed(Map.of(), summary + "; a step failed: " + String.join("; ", report.problems()));
        }
        JobResult done = JobResult.succeeded(Map.of(), summary);
        return skipped > 0 && stopRequested.getAsBoolean() ? done.stopped() : done;
    }
}
