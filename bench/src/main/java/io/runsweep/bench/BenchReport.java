package io.runsweep.bench;

import io.runsweep.bench.dryrun.DryRunResult;
import io.runsweep.bench.footprint.FootprintResult;
import io.runsweep.bench.measure.Machine;
import io.runsweep.bench.measure.ScenarioResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A whole bench run.
 *
 * @param loadAtEnd the system's load average when it ended
 * @param targetDuration the engine's runsweep.batch.target-duration when --target-duration replaced reference.conf's
 * @param results the purge scenarios, PostgreSQL's then SQLite's
 * @param dryRuns the Prefect preset's dry runs, PostgreSQL's then SQLite's
 * @param footprint runsweep.jar as a process, when measured
 */
record BenchReport(
        Machine machine,
        double loadAtEnd,
        Optional<Duration> targetDuration,
        List<ScenarioResult> results,
        List<DryRunResult> dryRuns,
        Optional<FootprintResult> footprint) {

    BenchReport {
        results = List.copyOf(results);
        dryRuns = List.copyOf(dryRuns);
    }

    /** The bench that started on {@code machine} has ended now. */
    static BenchReport endedNow(
            Machine machine,
            Optional<Duration> targetDuration,
            List<ScenarioResult> results,
            List<DryRunResult> dryRuns,
            Optional<FootprintResult> footprint) {
        return new BenchReport(machine, Machine.loadAverage(), targetDuration, results, dryRuns, footprint);
    }

    /** Every purge method deleted the same rows, and every dry-run count was exact. */
    boolean allSameRows() {
        return results.stream().allMatch(ScenarioResult::sameRows)
                && dryRuns.stream().allMatch(DryRunResult::exact);
    }
}
