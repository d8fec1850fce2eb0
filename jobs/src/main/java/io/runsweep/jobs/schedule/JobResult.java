package io.runsweep.jobs.schedule;

import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.Summaries;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of a job did.
 *
 * @param rowsDeleted rows deleted per table, in the order the job touched them
 * @param summary what the run did, as the end of its log line: {@code deleted 42 rows from "log" in 1 batch}
 * @param error why it failed; empty unless {@code outcome} is FAILED
 */
public record JobResult(JobOutcome outcome, Map<String, Long> rowsDeleted, String summary, Optional<String> error) {

    public JobResult {
        rowsDeleted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rowsDeleted));
    }

    public static JobResult succeeded(Map<String, Long> rowsDeleted, String summary) {
        return new JobResult(JobOutcome.SUCCEEDED, rowsDeleted, summary, Optional.empty());
    }

    public static JobResult failed(Map<String, Long> rowsDeleted, String error) {
        return new JobResult(JobOutcome.FAILED, rowsDeleted, error, Optional.of(error));
    }

    public static JobResult skippedLocked() {
        return new JobResult(
                JobOutcome.SKIPPED_LOCKED, Map.of(), "another daemon on this database is running it", Optional.empty());
    }

    /** A policy's run as a job's: its rows per table, and its outcome. */
    public static JobResult of(PolicyReport report) {
        Map<String, Long> rows = new LinkedHashMap<>();
        report.tables().forEach(t -> rows.merge(t.table(), t.rows(), Long::sum));
        if (report.outcome() == PolicyReport.Outcome.FAILED) {
            return failed(rows, report.error().orElse("failed") + Summaries.notes(report));
        }
        return succeeded(
                rows,
                Summaries.deleted(report)
                        + Summaries.archived(report)
                        + Summaries.throttled(report)
                        + Summaries.stop(report)
                        + Summaries.notes(report));
    }

    /** The same result, marked as ended early because the daemon was stopping. */
    public JobResult stopped() {
        return new JobResult(JobOutcome.STOPPED, rowsDeleted, summary, error);
    }

    public long totalRows() {
        return rowsDeleted.values().stream().mapToLong(Long::longValue).sum();
    }
}
