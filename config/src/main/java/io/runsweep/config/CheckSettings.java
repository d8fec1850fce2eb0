package io.runsweep.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks measure and when: table sizes and rows, each policy's backlog and oldest row, and runs
 * stuck in a non-terminal state.
 *
 * @param exactCounts count every row ({@code count(*)}, reads the table) instead of the catalog's estimate
 * @param schedule a Quartz cron expression: when the daemon runs the checks and evaluates the alerts
 * @param stuck by name, in the order the configuration lists them
 */
public record CheckSettings(boolean exactCounts, String schedule, Map<String, StuckSettings> stuck) {

    public CheckSettings {
        stuck = Collections.unmodifiableMap(new LinkedHashMap<>(stuck));
    }

    /**
     * Runs that have been in one of {@code statuses} for longer than {@code olderThan}: a row counts when
     * {@code timeColumn < now - olderThan}, or, where it is NULL and a fallback is set,
     * {@code timeColumnFallback < now - olderThan}.
     *
     * @param statuses each a {@code String}, {@code Long} or {@code Boolean}, as the column stores them
     * @param location "file: line" where the check is defined
     */
    public record StuckSettings(
            String name,
            String table,
            String statusColumn,
            List<Object> statuses,
            String timeColumn,
            Optional<String> timeColumnFallback,
            Duration olderThan,
            String location) {
        public StuckSettings {
            statuses = List.copyOf(statuses);
        }
    }
}
