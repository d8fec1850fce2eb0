package io.runsweep.config;

import java.util.Arrays;
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
    static final String TIME_COLUMN_FALLBACK = "time-column-fallback";
    static final String UNREFERENCED_BY = "unreferenced-by";
    static final String MAX_ROWS = "max-rows";
    static final String MAX_RUNTIME = "max-runtime";
    static final String MAX_FRACTION = "max-fraction";
    static final String STRATEGY = "strategy";
    static final String ALLOW_LARGE_UNTIL = "allow-large-until";
    static final String ALLOW_CASCADE_CONFLICTS = "allow-cascade-conflicts";
    static final String ARCHIVE = "archive";
    static final String RETENTION_OVERRIDES = "retention-overrides";
    static final String OVERRIDE_COLUMN = "override-column";
    static final String MISSING_PARENT = "missing-parent";

    static final String COLUMN = "column";
    static final String VALUES = "values";

    static final List<String> POLICY = List.of(
            TABLE,
            TIME_COLUMN,
            TIME_COLUMN_FALLBACK,
            OLDER_THAN,
            STATUSES,
            WHERE_NULL,
            UNREFERENCED_BY,
            KEY_COLUMN,
            DEPENDENTS,
            BATCH_SIZE,
            MAX_ROWS,
            MAX_RUNTIME,
            MAX_FRACTION,
            ALLOW_LARGE_UNTIL,
            ALLOW_CASCADE_CONFLICTS,
            STRATEGY,
            ENABLED,
            SCHEDULE,
            ARCHIVE,
            RETENTION_OVERRIDES,
            OVERRIDE_COLUMN,
            MISSING_PARENT);
    /** Keys a policy may take from runsweep.policy-defaults. */
    static final List<String> DEFAULTS =
            List.of(ENABLED, BATCH_SIZE, SCHEDULE, MAX_ROWS, MAX_RUNTIME, MAX_FRACTION, STRATEGY, ARCHIVE);

    static final List<String> STRATEGIES = Arrays.stream(PolicySettings.Strategy.values())
            .map(PolicySettings.Strategy::configName)
            .sorted()
            .toList();
    static final List<String> STATUS_FILTER = List.of(COLUMN, VALUES);
    static final List<String> DEPENDENT = List.of(TABLE, COLUMN);

    static final String ARCHIVE_SCHEMA = "schema";
    static final String ARCHIVE_DIRECTORY = "directory";
    static final String ARCHIVE_KEEP = "keep";
    static final List<String> ARCHIVE_KEYS = List.of(ARCHIVE_SCHEMA, ARCHIVE_DIRECTORY, ARCHIVE_KEEP);

    static final String KEY = "key";
    static final List<String> MISSING_PARENT_KEYS = List.of(COLUMN, TABLE, KEY);

    private PolicyKeys() {}
}
