package io.runsweep.jobs.alert;

import java.util.OptionalDouble;

/**
 * One alert after an evaluation.
 *
 * @param value what was measured, in the threshold's unit; empty when it could not be, in which case the
 *     alert keeps the state it had
 * @param message what a person reads: {@code "log" total size 6.1 GB > 5.0 GB}
 */
public record AlertState(String name, boolean firing, OptionalDouble value, double threshold, String message) {}
