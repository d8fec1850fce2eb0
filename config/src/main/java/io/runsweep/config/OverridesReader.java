package io.runsweep.config;

import static io.runsweep.config.PolicyKeys.OVERRIDE_COLUMN;
import static io.runsweep.config.PolicyKeys.RETENTION_OVERRIDES;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads a policy's {@code retention-overrides} and {@code override-column}. */
final class OverridesReader {
    private OverridesReader() {}

    /**
     * @param hasStatuses whether the policy filters by status too: an override's own filter would replace it
     */
    static Optional<RetentionOverrides> read(Fields f, boolean hasStatuses) {
        Optional<String> column = f.has(OVERRIDE_COLUMN) ? f.column(OVERRIDE_COLUMN) : Optional.empty();
        if (!f.has(RETENTION_OVERRIDES)) {
            return Optional.of(new RetentionOverrides(column, Map.of()));
        }
        Optional<Fields> object = f.object(RETENTION_OVERRIDES);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Duration> ages =
                ages(f, (ConfigObject) f.required(RETENTION_OVERRIDES).orElseThrow());
        if (ages.isEmpty()) {
            return Optional.of(new RetentionOverrides(column, ages));
        }
        ConfigValue where = f.required(RETENTION_OVERRIDES).orElseThrow();
        if (!f.has(OVERRIDE_COLUMN)) {
            return f.reject(
                    where,
                    f.pathOf(RETENTION_OVERRIDES),
                    "needs override-column: the column whose values are listed (Prefect's events: event)");
        }
        if (hasStatuses) {
            return f.reject(
                    where,
                    f.pathOf(RETENTION_OVERRIDES),
                    "cannot be combined with statuses: an override selects rows by its own column's value");
        }
        return column.map(c -> new RetentionOverrides(Optional.of(c), ages));
    }

    /** Value to age, by value; {@code "value" = null} removes an override a preset made. */
    private static Map<String, Duration> ages(Fields f, ConfigObject object) {
        Map<String, Duration> ages = new LinkedHashMap<>();
        Fields entries = new Fields(object, f.pathOf(RETENTION_OVERRIDES), object.origin(), f.problems());
        for (String value : object.keySet().stream().sorted().toList()) {
            if (object.get(value).valueType() == ConfigValueType.NULL) {
                continue;
            }
            if (value.isEmpty()) {
                entries.reject(object.get(value), entries.pathOf(value), "the value must not be empty");
                continue;
            }
            entries.duration(value, true).ifPresent(age -> ages.put(value, age));
        }
        return ages;
    }
}
