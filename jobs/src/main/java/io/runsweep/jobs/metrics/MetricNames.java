package io.runsweep.jobs.metrics;

import java.util.List;

/**
 * Every meter of Runsweep's own, in one place: its Micrometer name, the name Prometheus shows, and what it
 * means. {@code docs/metrics.md} documents the same list, as a stable contract for dashboards and alerts.
 */
public final class MetricNames {
    /**
     * @param micrometerName the name meters are registered under
     * @param prometheusName what the Prometheus registry makes of it (suffixes for counters and units included)
     */
    public record Metric(String micrometerName, String prometheusName, String description) {}

    /**
     * Label: the job's name; for a policy's job, the policy's name. Not "job": Prometheus gives every series
     * a "job" label of its own (the scrape job), and would rename ours to exported_job.
     */
    public static final String JOB = "runsweep_job";
    /** Label: succeeded, failed, stopped or skipped_locked. */
    public static final String OUTCOME = "outcome";

    public static final String POLICY = "policy";
    /** Label: a partition set's name (runsweep.partitions.<set>). */
    public static final String SET = "set";

    public static final String TABLE = "table";
    /** Label beside {@code table}: the schema the table is in ({@code public}; {@code main} on SQLite). */
    public static final String SCHEMA = "schema";
    /** Label: where an archive keeps its copies, {@code schema} or {@code directory}. */
    public static final String FORM = "form";
    /** Label: what a run waited for, {@code replica_lag} or {@code lock_waiters}. */
    public static final String REASON = "reason";

    public static final Metric ROWS_DELETED = new Metric(
            "runsweep.rows.deleted",
            "runsweep_rows_deleted_total",
            "Rows deleted by a policy from its own table and from each dependent table deleted in the same batch"
                    + " (rows the database removes by ON DELETE CASCADE are not counted)");
    public static final Metric JOB_RUNS = new Metric(
            "runsweep.job.runs",
            "runsweep_job_runs_total",
            "Job runs by outcome: succeeded, failed, stopped (ended early because the daemon was stopping) or"
                    + " skipped_locked (another daemon on the same database was running the job)");
    public static final Metric JOB_DURATION = new Metric(
            "runsweep.job.duration",
            "runsweep_job_duration_seconds",
            "How long job runs took, from lock to summary; skipped runs are left out");
    public static final Metric JOB_LAST_SUCCESS = new Metric(
            "runsweep.job.last.success.timestamp",
            "runsweep_job_last_success_timestamp_seconds",
            "When the job last succeeded, in seconds since the Unix epoch; absent until its first success since the"
                    + " daemon started");
    public static final Metric BATCH_DURATION = new Metric(
            "runsweep.batch.duration",
            "runsweep_batch_duration_seconds",
            "How long each committed batch took, from its transaction's start to its" + " commit");
    public static final Metric DATABASE_UP = new Metric(
            "runsweep.database.up",
            "runsweep_database_up",
            "1 when the database answered the daemon's last health query (SELECT 1) in time, else 0");

    public static final Metric PARTITIONS_AHEAD = new Metric(
            "runsweep.partitions.ahead",
            "runsweep_partitions_ahead",
            "Partitions ready after the current interval's, as the partition set's last run left them; fewer than"
                    + " its premake means rows will soon have no partition");
    public static final Metric PARTITION_DEFAULT_ROWS = new Metric(
            "runsweep.partition.default.rows",
            "runsweep_partition_default_rows",
            "Rows in the partition set's default partition at its last run: rows that fall in no range partition");
    public static final Metric ROWS_ARCHIVED = new Metric(
            "runsweep.rows.archived",
            "runsweep_rows_archived_total",
            "Rows a policy copied to its archive before deleting them, per source table and archive form (schema or"
                    + " directory), counted when their batch committed");
    public static final Metric ARCHIVED_BYTES = new Metric(
            "runsweep.archived.bytes",
            "runsweep_archived_bytes_total",
            "Bytes a policy's archive took: compressed file bytes for a directory, the values' text for a schema");
    public static final Metric THROTTLED = new Metric(
            "runsweep.throttled",
            "runsweep_throttled_seconds_total",
            "Time a policy's run spent paused for a lagging replica (replica_lag) or after a batch that held"
                    + " sessions up (lock_waiters)");

    public static final List<Metric> ALL = List.of(
            ROWS_DELETED,
            JOB_RUNS,
            JOB_DURATION,
            JOB_LAST_SUCCESS,
            BATCH_DURATION,
            DATABASE_UP,
            PARTITIONS_AHEAD,
            PARTITION_DEFAULT_ROWS,
            ROWS_ARCHIVED,
            ARCHIVED_BYTES,
            THROTTLED);

    private MetricNames() {}
}
