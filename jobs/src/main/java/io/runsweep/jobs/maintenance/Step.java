package io.runsweep.jobs.maintenance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One maintenance statement: why it runs, and what became of it.
 *
 * @param statement the SQL, exactly as it runs
 * @param reason why it runs, for people: {@code deleted 12,000 rows, more than vacuum-after-rows (10,000)}
 * @param message why it failed or was refused, or what the database answered
 * @param warnings what an operator should know even when it went well (VACUUM FULL's lock; the server's warnings)
 */
public record Step(
        String statement,
        String reason,
        Outcome outcome,
        Duration duration,
        Optional<String> message,
        List<String> warnings) {

    public Step {
        warnings = List.copyOf(warnings);
    }

    /**
     * DONE ran; PLANNED is what a dry run would run; REFUSED did not run because it would not be safe; SKIPPED
     * did not run, for a reason that is not a failure: the role may not run it (the server would have skipped the
     * table and said it was done), another session held the table longer than the lock timeout (the next run
     * tries again), or a stop came before it began or cancelled it while it ran.
     */
    public enum Outcome {
        DONE,
        PLANNED,
        REFUSED,
        FAILED,
        SKIPPED
    }

    /** A statement a stop came before, in words. */
    static String stoppedBefore(String stop) {
        return "not run: stopped by " + stop + " before it began";
    }

    /** A statement a stop cancelled while it ran, in words. */
    static String cancelledBy(String stop) {
        return "cancelled while it ran, by " + stop + "; the next run does it again";
    }

    public boolean skipped() {
        return outcome == Outcome.SKIPPED;
    }

    public boolean failed() {
        return outcome == Outcome.FAILED || outcome == Outcome.REFUSED;
    }
}
