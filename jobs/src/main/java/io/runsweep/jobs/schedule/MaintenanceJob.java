package io.runsweep.jobs.schedule;

import io.runsweep.jobs.maintenance.Maintenance;
import io.runsweep.jobs.maintenance.MaintenanceReport;
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

    @Override
    public JobResult run(BooleanSupplier stopRequested) {
        MaintenanceReport report = maintenance.run();
        String summary = "maintained " + (report.tables().size() - report.skipped()) + " tables"
                + (report.file().isPresent() ? " and the file" : "")
                + (report.skipped() > 0 ? "; skipped " + report.skipped() + " (see the log)" : "");
        return report.anyFailed()
                ? JobResult.failed(Map.of(), summary + "; a step failed: " + String.join("; ", report.problems()))
                : JobResult.succeeded(Map.of(), summary);
    }
}
