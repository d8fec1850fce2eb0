package io.runsweep.jobs.metrics;

import java.util.List;

/**
 * The names, labels and meanings of the metrics the checks and alerts export: a stable contract that
 * dashboards and alert rules depend on. Documented in docs/checks.md.
 */
public enum CheckMetric {
    TABLE_TOTAL_BYTES(
            "runsweep_table_total_bytes",
            "table",
            "Bytes the table takes on disk: its own storage, its indexes and (PostgreSQL) its TOAST table"),
    TABLE_BYTES(
            "runsweep_table_bytes",
            "table",
            "Bytes of the table's own storage (PostgreSQL: the heap with its free-space and visibility maps), without indexes or TOAST"),
    INDEX_BYTES("runsweep_index_bytes", "table", "Bytes of all the table's indexes"),
    TABLE_ROWS(
            "runsweep_table_rows",
            "table",
            "Rows in the table: counted (SQLite, PostgreSQL under 100,000 rows, runsweep.checks.exact-counts), else PostgreSQL's running estimate, which follows deletes; NaN while unknown"),
    TABLE_DEAD_ROWS(
            "runsweep_table_dead_rows",
            "table",
            "PostgreSQL: rows deleted or updated away that VACUUM has not yet removed"),
    TABLE_LAST_VACUUM(
            "runsweep_table_last_vacuum_timestamp_seconds",
            "table",
            "PostgreSQL: when the table was last vacuumed, by hand or by autovacuum, in Unix seconds; 0 if never"),
    ROWS_PENDING(
            "runsweep_rows_pending",
            "policy",
            "Rows already past the policy's retention: what its next run would delete from its table"),
    OLDEST_ROW_AGE(
            "runsweep_oldest_row_age_seconds",
            "policy",
            "Age of the oldest row the policy could delete (all its conditions but age), by its time column; 0 when there is none"),
    STUCK_RUNS(
            "runsweep_stuck_runs", "check", "Runs in one of the check's non-terminal states for longer than its limit"),
    OLDEST_SNAPSHOT_AGE(
            "runsweep_oldest_snapshot_age_seconds",
            null,
            "PostgreSQL: how long the oldest snapshot that keeps VACUUM from removing this database's dead rows has been held (since its session's transaction began, or its transaction was prepared); 0 when none is held; NaN when that does not show (a replication slot; another role's session, without pg_read_all_stats)"),
    OLDEST_SNAPSHOT_TRANSACTIONS(
            "runsweep_oldest_snapshot_age_transactions",
            null,
            "PostgreSQL: transactions begun since the oldest snapshot that keeps VACUUM from removing this database's dead rows was taken (its xmin's age); 0 when none is held"),
    SQLITE_FILE_BYTES("runsweep_sqlite_file_bytes", null, "Size of the SQLite database file"),
    SQLITE_FREE_PAGES(
            "runsweep_sqlite_free_pages",
            null,
            "Pages of the SQLite database file left empty by deletes; only VACUUM returns them to the file system"),
    SQLITE_WAL_BYTES(
            "runsweep_sqlite_wal_bytes", null, "Size of the SQLite write-ahead log file (-wal); 0 when there is none"),
    ALERT_FIRING("runsweep_alert_firing", "alert", "1 while the alert fires, 0 while it does not");

    private final String metricName;
    private final String label;
    private final String description;

    CheckMetric(String metricName, String label, String description) {
        this.metricName = metricName;
        this.label = label;
        this.description = description;
    }

    /** The name as Prometheus shows it. */
    public String metricName() {
        return metricName;
    }

    /** The label that names the subject; null for a metric of the whole database. */
    public String label() {
        return label;
    }

    /** Every label, in order: a table's metrics name its schema too, so that two schemas' tables stay apart. */
    public List<String> labels() {
        if (label == null) {
            return List.of();
        }
        return label.equals(MetricNames.TABLE) ? List.of(MetricNames.SCHEMA, MetricNames.TABLE) : List.of(label);
    }

    public String description() {
        return description;
    }
}
