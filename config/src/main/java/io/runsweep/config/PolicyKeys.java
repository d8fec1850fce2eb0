package io.runsweep.config;

import java.util.List;

/** The keys a policy may hold. reference.conf has no policy to take them from, so they live here. */
final class PolicyKeys {
  static final String TABLE = "table";
  static final String TIME_COLUMN = "time-column";
  static final String OLDER_THAN = "older-than";
  static final String STATUSES = "statuses";
  static final String WHERE_NULL = "where-null";
  static final String KEY_COLUMN = "key-column";
  static final String DEPENDENTS = "dependents";
  static final String BATCH_SIZE = "batch-size";
  static final String ENABLED = "enabled";
  static final String SCHEDULE = "schedule";

  static final String COLUMN = "column";
  static final String VALUES = "values";

  static final List<String> POLICY = List.of(TABLE, TIME_COLUMN, OLDER_THAN, STATUSES, WHERE_NULL,
      KEY_COLUMN, DEPENDENTS, BATCH_SIZE, ENABLED, SCHEDULE);
  static final List<String> STATUS_FILTER = List.of(COLUMN, VALUES);
  static final List<String> DEPENDENT = List.of(TABLE, COLUMN);

  private PolicyKeys() {}
}
