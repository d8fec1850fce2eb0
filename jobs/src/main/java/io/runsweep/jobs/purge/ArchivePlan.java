package io.runsweep.jobs.purge;

import io.runsweep.sql.Column;
import io.runsweep.sql.Sql;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a policy that keeps an archive deletes a batch, planned with the rest: lock and copy the batch's rows of
 * its own table and of every table the database would empty by cascade, delete its dependents returning their
 * rows, delete the cascaded rows explicitly (deepest first, so each level is deleted, and copied, whole), then
 * its own rows by key. A real run executes these statements and the archive's inserts; a dry run shows them.
 *
 * @param policy the name archives are kept under: a retention override's rows go with their policy's
 * @param destinations each archive as a person reads it
 * @param prepare statements run once before the first batch: the schema, tables made on first use, columns added
 *     to them since the source tables grew
 * @param lockBatch every column of the batch's rows of the policy's table, locked for the batch
 * @param lockIndexed the same for a batch found by index: the final pass after a block-range sweep
 * @param key the column that identifies the policy's rows, and that its cascades and dependents refer to
 * @param cascades the tables emptied by cascade, each after the table it depends on
 * @param dependents the policy's dependents, each deleted returning its rows
 * @param deleteByKey deletes the batch's rows of the policy's table by key
 * @param archiveTables each table's archive table, when the archive has a schema
 */
public record ArchivePlan(
        String policy,
        List<String> destinations,
        List<String> prepare,
        Sql lockBatch,
        Sql lockIndexed,
        Column key,
        List<Level> cascades,
        List<Dependent> dependents,
        Sql deleteByKey,
        Map<TableName, TableName> archiveTables,
        Optional<Path> directory,
        Duration keep) {

    public ArchivePlan {
        destinations = List.copyOf(destinations);
        prepare = List.copyOf(prepare);
        cascades = List.copyOf(cascades);
        dependents = List.copyOf(dependents);
        archiveTables = Map.copyOf(archiveTables);
    }

    /**
     * One table emptied by cascade: its rows whose {@code column} holds a value of {@code parentColumn} among the
     * rows of {@code parent} the batch deletes.
     *
     * @param parent the policy's table or an earlier level's
     * @param lock every column of those rows, locked for the batch
     * @param delete deletes them, by the same values
     */
    public record Level(Table table, Column column, TableName parent, Column parentColumn, Sql lock, Sql delete) {}

    /** A dependent, deleted by the batch's keys, returning every column of what it deleted. */
    public record Dependent(Table table, Column column, Sql deleteReturning) {}
}
