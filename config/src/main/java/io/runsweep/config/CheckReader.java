package io.runsweep.config;

import io.runsweep.config.CheckSettings.StuckSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Reads {@code runsweep.checks}, with its stuck checks. */
final class CheckReader {
    private CheckReader() {}

    /** Empty when something was bad; the problems are already recorded. */
    static Optional<CheckSettings> read(
            Layers layers, Fields runsweep, Function<String, Optional<String>> cronProblem) {
        Optional<Fields> checks = runsweep.object("checks");
        if (checks.isEmpty()) {
            return Optional.empty();
        }
        Fields f = checks.get();
        int before = f.problems().count();
        Optional<Boolean> exactCounts = f.bool("exact-counts");
        Optional<String> schedule = f.cron("schedule", cronProblem);
        Map<String, StuckSettings> stuck = new LinkedHashMap<>();
        for (NamedEntries.Named entry : NamedEntries.read(layers, f, "stuck", "stuck check", Set.of())) {
            stuck(entry.name(), entry.fields()).ifPresent(s -> stuck.put(entry.name(), s));
        }
        if (f.problems().count() > before) {
            return Optional.empty();
        }
        return Optional.of(new CheckSettings(exactCounts.orElseThrow(), schedule.orElseThrow(), stuck));
    }

    private static Optional<StuckSettings> stuck(String name, Fields f) {
        int before = f.problems().count();
        Optional<String> table = f.table(CheckKeys.TABLE);
        Optional<String> statusColumn = f.column(CheckKeys.STATUS_COLUMN);
        Optional<List<Object>> statuses =
                f.list(CheckKeys.STATUSES).flatMap(list -> PolicyReader.statusValues(f, CheckKeys.STATUSES, list));
        Optional<String> timeColumn = f.column(CheckKeys.TIME_COLUMN);
        Optional<String> fallback =
                f.has(CheckKeys.TIME_COLUMN_FALLBACK) ? f.column(CheckKeys.TIME_COLUMN_FALLBACK) : Optional.empty();
        Optional<Duration> olderThan = f.duration(CheckKeys.OLDER_THAN, true);
        if (f.problems().count() > before) {
            return Optional.empty();
        }
        return Optional.of(new StuckSettings(
                name,
                table.orElseThrow(),
                statusColumn.orElseThrow(),
                statuses.orElseThrow(),
                timeColumn.orElseThrow(),
                fallback,
                olderThan.orElseThrow(),
                Origins.format(f.origin())));
    }
}
