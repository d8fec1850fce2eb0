package io.runsweep.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Shorter retention for some values of one column (Prefect's per-event-type retention): rows whose
 * {@code column} holds a listed value go after that value's age, or the policy's own when it is shorter.
 *
 * @param column the column the values are compared with; present whenever {@code olderThan} is not empty
 * @param olderThan value to its age, by value
 */
public record RetentionOverrides(Optional<String> column, Map<String, Duration> olderThan) {

    public static final RetentionOverrides NONE = new RetentionOverrides(Optional.empty(), Map.of());

    public RetentionOverrides {
        olderThan = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(olderThan));
    }

    public boolean isEmpty() {
        return olderThan.isEmpty();
    }
}
