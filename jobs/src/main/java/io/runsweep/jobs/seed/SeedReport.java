package io.runsweep.jobs.seed;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a seeding wrote.
 *
 * @param rowsByTable rows inserted per table, every table listed (0 when none), in a fixed
 *     order: flow, deployment, flow_run, flow_run_state, flow_run_input, task_run,
 *     task_run_state, log, artifact, events, event_resources
 * @param elapsed wall time of the whole seeding, commits included
 */
public record SeedReport(Map<String, Long> rowsByTable, Duration elapsed) {
    public SeedReport {
        rowsByTable = Collections.unmodifiableMap(new LinkedHashMap<>(rowsByTable));
    }

    public long totalRows() {
        return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows inserted into {@code table}; 0 for a table the seeder does not write. */
    public long rows(String table) {
        return rowsByTable.getOrDefault(table, 0L);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(
                String.format(Locale.ROOT, "seeded %,d rows in %.2f s:", totalRows(), elapsed.toMillis() / 1000.0));
        rowsByTable.forEach((table, rows) -> text.append(String.format(Locale.ROOT, " %s=%,d", table, rows)));
        return text.toString();
    }
}
