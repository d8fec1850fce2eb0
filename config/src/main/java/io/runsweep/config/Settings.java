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
 * @param maintenance VACUUM, ANALYZE and SQLite maintenance
 */
public record Settings(
    Optional<Path> source,
    Optional<String> preset,
    DatabaseSettings database,
    BatchSettings batch,
    Map<String, PolicySettings> policies,
    MaintenanceSettings maintenance) {

  public Settings {
    policies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(policies));
  }

  public List<PolicySettings> enabledPolicies() {
    return policies.values().stream().filter(PolicySettings::enabled).toList();
  }
}
