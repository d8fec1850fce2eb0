package io.runsweep.jobs.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far one policy is behind.
 *
 * @param cutoff rows older than this are past retention
 * @param backlog rows past retention now: what the policy's own count statement counts, the rows its
 *     next run would delete from its table
 * @param oldest the oldest time among the rows the policy could ever delete (its conditions other than
 *     age); empty when there are none
 * @param oldestAge how old that row is at the time of the checks
 */
public record PolicyCheck(
        String policy,
        String table,
        Instant cutoff,
        long backlog,
        Optional<Instant> oldest,
        Optional<Duration> oldestAge) {}
