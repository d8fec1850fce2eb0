package io.runsweep.jobs.review;

import java.util.Optional;

/**
 * One thing {@code runsweep check} found.
 *
 * @param topic what it is about: {@code database}, {@code policy flow-runs}, {@code indexes}, {@code maintenance}
 * @param fix the statement or setting that would fix it, when there is one
 */
public record Finding(Severity severity, String topic, String message, Optional<String> fix) {

    /** OK and NOTE leave the exit code 0; a WARNING makes it 3, an ERROR 2. */
    public enum Severity {
        OK,
        NOTE,
        WARNING,
        ERROR
    }

    static Finding ok(String topic, String message) {
        return new Finding(Severity.OK, topic, message, Optional.empty());
    }

    static Finding note(String topic, String message) {
        return new Finding(Severity.NOTE, topic, message, Optional.empty());
    }

    static Finding note(String topic, String message, Optional<String> fix) {
        return new Finding(Severity.NOTE, topic, message, fix);
    }

    static Finding warning(String topic, String message, Optional<String> fix) {
        return new Finding(Severity.WARNING, topic, message, fix);
    }

    public static Finding error(String topic, String message) {
        return new Finding(Severity.ERROR, topic, message, Optional.empty());
    }
}
