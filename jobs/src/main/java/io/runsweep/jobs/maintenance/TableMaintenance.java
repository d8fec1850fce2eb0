package io.runsweep.jobs.maintenance;

import io.runsweep.sql.TableStats;
import java.util.Optional;

/**
 * A PostgreSQL table's VACUUM or ANALYZE, with its size and dead rows before and after.
 *
 * @param after empty when the statement did not run (dry run, refused, failed)
 */
public record TableMaintenance(String table, Step step, TableStats before, Optional<TableStats> after) {}
