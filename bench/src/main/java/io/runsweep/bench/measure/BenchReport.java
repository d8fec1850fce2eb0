package io.runsweep.bench.measure;

import java.util.List;

/**
 * A whole bench run.
 *
 * @param loadAtEnd the system's load average when it ended
 */
public record BenchReport(Machine machine, double loadAtEnd, List<ScenarioResult> results) {

    public BenchReport {
        results = List.copyOf(results);
    }

    /** The bench that started on {@code machine} has ended now with {@code results}. */
    public static BenchReport endedNow(Machine machine, List<ScenarioResult> results) {
        return new BenchReport(machine, Machine.loadAverage(), results);
    }

    public boolean allSameRows() {
        return results.stream().allMatch(ScenarioResult::sameRows);
    }
}
