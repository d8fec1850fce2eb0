package io.runsweep.jobs.partition;

import java.util.List;
import java.util.Optional;

/**
 * What became of one planned statement.
 *
 * @param sql the statement last executed (a FINALIZE when it completed an interrupted concurrent detach);
 *     in a dry run, the statement that would run
 * @param attempts executions tried; 0 when planned only or skipped
 * @param retries why each attempt before the last one failed (its lock timeout), in order
 */
public record StepResult(
        PartitionStep step, Status status, String sql, int attempts, List<String> retries, Optional<String> error) {

    public StepResult {
        retries = List.copyOf(retries);
    }

    public enum Status {
        /** Executed and committed. */
        DONE,
        /** Gave up; {@code error} says why. */
        FAILED,
        /** Not run because a step it depends on failed. */
        SKIPPED,
        /** A dry run: would run. */
        PLANNED
    }

    static StepResult planned(PartitionStep step) {
        return new StepResult(step, Status.PLANNED, step.ddl().text(), 0, List.of(), Optional.empty());
    }

    static StepResult skipped(PartitionStep step, String why) {
        return new StepResult(step, Status.SKIPPED, step.ddl().text(), 0, List.of(), Optional.of(why));
    }
}
