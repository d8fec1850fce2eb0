package io.runsweep.config;

import java.util.List;

/** The keys a partition set may hold; reference.conf has no set to take them from, so they live here. */
final class PartitionKeys {
    static final String TABLE = "table";
    static final String COLUMN = "column";
    static final String INTERVAL = "interval";
    static final String PREMAKE = "premake";
    static final String RETENTION = "retention";
    static final String ON_EXPIRE = "on-expire";
    static final String ARCHIVE_SCHEMA = "archive-schema";
    static final String LOCK_ATTEMPTS = "lock-attempts";
    static final String LOCK_BACKOFF = "lock-backoff";
    static final String ENABLED = "enabled";
    static final String SCHEDULE = "schedule";

    static final List<String> SET = List.of(
            TABLE,
            COLUMN,
            INTERVAL,
            PREMAKE,
            RETENTION,
            ON_EXPIRE,
            ARCHIVE_SCHEMA,
            LOCK_ATTEMPTS,
            LOCK_BACKOFF,
            ENABLED,
            SCHEDULE);

    private PartitionKeys() {}
}
