package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The retention policy the bench hands the engine: the same predicate the two other methods run.
 *
 * @param table as a user would write it in {@code runsweep.policies.NAME.table}
 * @param statusValues integers the status column must hold; empty when {@code statusColumn} is
 */
public record BenchPolicy(
        String name,
        String table,
        String timeColumn,
        Duration olderThan,
        Optional<String> statusColumn,
        List<Long> statusValues) {

    public BenchPolicy {
        statusValues = List.copyOf(statusValues);
    }
}
