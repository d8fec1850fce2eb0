package io.runsweep.jobs.maintenance;

import io.runsweep.sql.TableName;
import java.util.OptionalLong;

/**
 * A table a purge deleted rows from.
 *
 * @param deletedRows empty for a table the database emptied by ON DELETE CASCADE, which a purge does not count
 */
record Touched(TableName table, OptionalLong deletedRows) {}
