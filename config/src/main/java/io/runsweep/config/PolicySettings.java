package io.runsweep.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One retention policy: which rows of one table expire, and what goes with them.
 *
 * <p>A row matches when {@code timeColumn < now - olderThan}, and its status column (if any) holds one
 * of the listed values, and every column in {@code whereNull} is NULL. A NULL time never matches.
 *
 * @param name the key under {@code runsweep.policies}
 * @param table a table name, optionally schema-qualified ({@code public.flow_run}); validated, not yet quoted
 * @param keyColumn the column that dependents reference; empty means the table's primary key
 * @param dependents tables without a foreign key whose rows reference this table's key and are deleted in the same batch
 * @param schedule a Quartz cron expression, used by the daemon
 * @param location "file: line" where the policy is defined, for messages that point the user at it
 */
public record PolicySettings(
    String name,
    String table,
    String timeColumn,
    Duration olderThan,
    Optional<StatusFilter> statuses,
    List<String> whereNull,
    Optional<String> keyColumn,
    List<DependentTable> dependents,
    int batchSize,
    boolean enabled,
    String schedule,
    String location) {

  public PolicySettings {
    whereNull = List.copyOf(whereNull);
    dependents = List.copyOf(dependents);
  }

  /**
   * Rows whose status column holds one of {@code values}.
   *
   * @param values each a {@code String} or a {@code Long}, as written in the configuration
   */
  public record StatusFilter(String column, List<Object> values) {
    public StatusFilter {
      values = List.copyOf(values);
    }
  }

  /** A table whose {@code column} holds the key of the policy's rows, with no foreign key to enforce it. */
  public record DependentTable(String table, String column) {}
}
