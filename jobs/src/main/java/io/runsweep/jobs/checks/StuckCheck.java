package io.runsweep.jobs.checks;

import java.time.Duration;
import java.time.Instant;

/**
 * Runs stuck in a non-terminal state.
 *
 * @param name the key under {@code runsweep.checks.stuck}
 * @param runs rows in one of the check's statuses whose time is older than {@code cutoff}
 * @param cutoff the time of the checks less {@code olderThan}
 */
public record StuckCheck(String name, String table, long runs, Duration olderThan, Instant cutoff) {}
