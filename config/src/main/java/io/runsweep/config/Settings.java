package io.runsweep.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective, validated configuration: what a user's file, the chosen preset and
 * {@code reference.conf} add up to. Immutable; built only by {@link SettingsLoader}.
 *
 * @param source the user's file, when one was given
 * @param preset the preset name, empty when none
 * @param policies by name, in the order the merged configuration lists them
 * @param partitions partition sets by name, in the order the merged configuration lists them
 * @param checks what the checks measure, and runs counted as stuck
 * @param alerts threshold alerts on what the checks measure, and job health
 * @param daemon how {@code runsweep daemon} serves HTTP, schedules, stops and logs
 * @param maintenance VACUUM, ANALYZE and SQLite maintenance
 * @param review what {@code runsweep check} knows of the scheduler's schema
 * @param throttle how batches give way to replicas and to sessions waiting on their locks
 * @param confirmAbove a sweep on a terminal that would delete more rows than this asks first
 * @param prefectEnvironment Prefect's own retention settings found in the environment, and what the preset
 *     took from each
 */
public record Settings(
        Optional<Path> source,
        Optional<String> preset,
        DatabaseSettings database,
        BatchSettings batch,
        Map<String, PolicySettings> policies,
        Map<String, PartitionSettings> partitions,
        CheckSettings checks,
        AlertSettings alerts,
        DaemonSettings daemon,
        MaintenanceSettings maintenance,
        ReviewSettings review,
        ThrottleSettings throttle,
        long confirmAbove,
        List<PrefectVariable> prefectEnvironment) {

    public Settings {
        policies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(policies));
        partitions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(partitions));
        prefectEnvironment = List.copyOf(prefectEnvironment);
    }

    public List<PolicySettings> enabledPolicies() {
        return policies.values().stream().filter(PolicySettings::enabled).toList();
    }

    public List<PartitionSettings> enabledPartitions() {
        return partitions.values().stream().filter(PartitionSettings::enabled).toList();
    }
}
