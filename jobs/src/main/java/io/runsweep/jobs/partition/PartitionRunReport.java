package io.runsweep.jobs.partition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The outcome of one partition run: every selected set's report, in the order they ran. */
public record PartitionRunReport(boolean dryRun, Instant startedAt, List<PartitionReport> sets, Duration duration) {

    public PartitionRunReport {
        sets = List.copyOf(sets);
    }

    public boolean anyFailed() {
        return sets.stream().anyMatch(s -> s.outcome() == PartitionReport.Outcome.FAILED);
    }
}
