package io.runsweep.config;

import java.util.List;

/**
 * VACUUM and ANALYZE on PostgreSQL, checkpoints and vacuums on SQLite ({@code runsweep.maintenance}).
 *
 * @param vacuumAfterRows PostgreSQL: a purge that deletes more rows than this from a table is followed by
 *     {@code VACUUM (ANALYZE)} of that table
 * @param vacuumDeadFraction PostgreSQL: a managed table whose dead rows are more than this share of its rows
 *     is vacuumed
 * @param analyzeSchedule a Quartz cron expression: when the daemon runs the maintenance job
 * @param vacuumFullTables PostgreSQL: the only tables the maintenance job rewrites with {@code VACUUM FULL},
 *     as written in the configuration (optionally schema-qualified)
 * @param vacuumFullUncheckedDisk PostgreSQL: run {@code VACUUM FULL} even when free disk cannot be checked
 * @param sqliteFullVacuum SQLite: the maintenance job rewrites the whole file with {@code VACUUM}
 */
public record MaintenanceSettings(
        long vacuumAfterRows,
        double vacuumDeadFraction,
        String analyzeSchedule,
        List<String> vacuumFullTables,
        boolean vacuumFullUncheckedDisk,
        boolean sqliteFullVacuum) {

    public MaintenanceSettings {
        vacuumFullTables = List.copyOf(vacuumFullTables);
    }
}
