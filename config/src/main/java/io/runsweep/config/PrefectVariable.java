package io.runsweep.config;

import java.util.List;
import java.util.Map;

/**
 * One of Prefect's retention settings found in the environment, and what the Prefect preset took from it.
 *
 * @param name the variable, e.g. {@code PREFECT_SERVER_EVENTS_RETENTION_PERIOD}
 * @param value its value as set, which may be in seconds or ISO 8601, as Prefect reads it
 * @param keys each key it sets (under {@code runsweep.policies}) to the value it sets it to, in HOCON
 * @param keptByFile the keys among those that the user's file sets itself, so the file's value stays
 */
public record PrefectVariable(String name, String value, Map<String, String> keys, List<String> keptByFile) {
    public PrefectVariable {
        keys = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keys));
        keptByFile = List.copyOf(keptByFile);
    }
}
