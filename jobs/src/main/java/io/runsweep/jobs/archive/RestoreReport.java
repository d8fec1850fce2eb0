package io.runsweep.jobs.archive;

import java.util.List;
import java.util.Optional;

/**
 * What {@code archive restore} put back, or in a dry run would, table by table in the order it goes.
 *
 * @param from {@code schema} or {@code directory}
 * @param error why it stopped, when it did; the tables before it were restored
 */
public record RestoreReport(String policy, String from, boolean dryRun, List<Table> tables, Optional<String> error) {
    public RestoreReport {
        tables = List.copyOf(tables);
    }

    /**
     * @param archived copies found in the archive for the time asked
     * @param restored rows put back (a dry run: that would be)
     * @param present rows skipped because a row with the same key is there; -1 in a dry run when the table has no
     *     single-column key to look them up by
     * @param droppedColumns archived columns the table no longer has: their values are not put back
     */
    public record Table(String table, long archived, long restored, long present, List<String> droppedColumns) {
        public Table {
            droppedColumns = List.copyOf(droppedColumns);
        }
    }

    public boolean failed() {
        return error.isPresent();
    }
}
