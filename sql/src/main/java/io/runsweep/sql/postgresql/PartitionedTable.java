package io.runsweep.sql.postgresql;

import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.util.List;
import java.util.Optional;

/**
 * How a table is partitioned, as the catalog says.
 *
 * @param keyColumns the partition key's columns; an expression in the key reads as an empty name
 * @param partitions the range partitions, by their lower bound; read only for a range key of one column
 * @param defaultPartition the partition that takes rows no other partition covers, when there is one
 */
public record PartitionedTable(
        Table table,
        Strategy strategy,
        List<String> keyColumns,
        List<RangePartition> partitions,
        Optional<TableName> defaultPartition) {

    public PartitionedTable {
        keyColumns = List.copyOf(keyColumns);
        partitions = List.copyOf(partitions);
    }

    public enum Strategy {
        NONE,
        RANGE,
        LIST,
        HASH
    }

    public TableName name() {
        return table.name();
    }
}
