package io.runsweep.sql.postgresql;

import io.runsweep.sql.Column;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What converting an unpartitioned PostgreSQL table to range partitions depends on, read from the catalog
 * and the table itself.
 *
 * @param rows the planner's estimate (pg_class.reltuples), or an exact count when the table was never analyzed
 * @param rowsCounted whether {@code rows} is an exact count
 * @param nullKeys rows whose partition key is NULL: no range partition can hold them
 * @param totalBytes pg_total_relation_size: heap, indexes and TOAST
 * @param foreignKeys the table's own foreign keys
 * @param referencedBy foreign keys of other tables that point at this one
 * @param identityAlways identity columns declared GENERATED ALWAYS: copying their values needs OVERRIDING SYSTEM VALUE
 * @param generated stored generated columns: computed again on insert, so never copied
 * @param serials columns whose default takes a sequence the table owns (serial, bigserial)
 * @param triggers user-defined triggers on the table
 */
public record ConversionFacts(
        Table table,
        Column key,
        long rows,
        boolean rowsCounted,
        Optional<Instant> minKey,
        Optional<Instant> maxKey,
        long nullKeys,
        long totalBytes,
        List<Index> indexes,
        List<Constraint> foreignKeys,
        List<Constraint> referencedBy,
        List<String> identity,
        boolean identityAlways,
        List<String> generated,
        List<Serial> serials,
        int triggers) {

    public ConversionFacts {
        indexes = List.copyOf(indexes);
        foreignKeys = List.copyOf(foreignKeys);
        referencedBy = List.copyOf(referencedBy);
        identity = List.copyOf(identity);
        generated = List.copyOf(generated);
        serials = List.copyOf(serials);
    }

    /**
     * An index as {@code pg_get_indexdef} writes it.
     *
     * @param columns the key columns by name; an expression reads as an empty name
     * @param method what follows {@code USING} in its definition: {@code btree ("At" DESC) INCLUDE (s) WHERE ...}
     */
    public record Index(String name, boolean primary, boolean unique, List<String> columns, String method) {
        public Index {
            columns = List.copyOf(columns);
        }
    }

    /** A constraint as {@code pg_get_constraintdef} writes it, on {@code table}. */
    public record Constraint(TableName table, String name, String definition) {}

    /** A column whose default draws from {@code sequence}, which the table owns. */
    public record Serial(String column, TableName sequence) {}
}
