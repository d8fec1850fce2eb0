package io.runsweep.jobs.purge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a policy's deleted rows were copied, and how many; in a dry run, where they would be and how many.
 *
 * @param destinations each archive as a person reads it: {@code schema runsweep_archive} or {@code directory
 *     /var/lib/runsweep/archive/flow-runs}
 * @param rows rows archived per table, in the order the tables were reached
 * @param bytes bytes written: compressed file bytes for a directory, the values' text for a schema
 */
public record ArchiveSummary(List<String> destinations, Map<String, Long> rows, long bytes) {
    public ArchiveSummary {
        destinations = List.copyOf(destinations);
        rows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** This summary and {@code other}'s counts added up, over the same destinations. */
    public ArchiveSummary plus(ArchiveSummary other) {
        Map<String, Long> all = new LinkedHashMap<>(rows);
        other.rows.forEach((table, n) -> all.merge(table, n, Long::sum));
        return new ArchiveSummary(destinations, all, bytes + other.bytes);
    }
}
