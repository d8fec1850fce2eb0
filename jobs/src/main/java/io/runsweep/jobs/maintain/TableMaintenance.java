package io.runsweep.jobs.maintain;

import io.runsweep.sql.TableFigures;
import java.util.Optional;

/**
 * A PostgreSQL table's VACUUM or ANALYZE, with its size and dead rows before and after.
 *
 * @param after empty when the statement did not run (dry run, refused, failed)
 */
public record TableMaintenance(String table, Step step, TableFigures before, Optional<TableFigures> after) {}
