package io.runsweep.jobs.maintenance;

import io.runsweep.sql.FileStats;
import java.util.List;
import java.util.Optional;

/**
 * A SQLite file's maintenance: each statement in the order it ran, and the file before and after.
 *
 * @param after empty in a dry run
 */
public record FileMaintenance(String file, List<Step> steps, FileStats before, Optional<FileStats> after) {

    public FileMaintenance {
        steps = List.copyOf(steps);
    }
}
