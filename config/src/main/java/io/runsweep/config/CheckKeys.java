package io.runsweep.config;

import java.util.List;
import java.util.stream.Stream;

/** The keys of a stuck check and of an alert: reference.conf has no entry to take them from. */
final class CheckKeys {
    static final String TABLE = "table";
    static final String STATUS_COLUMN = "status-column";
    static final String STATUSES = "statuses";
    static final String TIME_COLUMN = "time-column";
    static final String TIME_COLUMN_FALLBACK = "time-column-fallback";
    static final String OLDER_THAN = "older-than";

    static final List<String> STUCK =
            List.of(TABLE, STATUS_COLUMN, STATUSES, TIME_COLUMN, TIME_COLUMN_FALLBACK, OLDER_THAN);

    /** The alerts object holds the webhook beside the alerts; an alert may not take its name. */
    static final String WEBHOOK = "webhook";

    static final List<String> ALERT = Stream.of(AlertSettings.Kind.values())
            .flatMap(k -> Stream.of(k.subjectKey(), k.thresholdKey()))
            .distinct()
            .toList();

    private CheckKeys() {}
}
