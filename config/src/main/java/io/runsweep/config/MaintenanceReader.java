package io.runsweep.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** Reads {@code runsweep.maintenance}. */
final class MaintenanceReader {
    private MaintenanceReader() {}

    /** Empty when a value was bad; the problem is already recorded. */
    static Optional<MaintenanceSettings> read(Fields f, Function<String, Optional<String>> cronProblem) {
        int before = f.problems().count();
        Optional<Integer> afterRows = f.whole("vacuum-after-rows", 0, Integer.MAX_VALUE);
        Optional<Double> deadFraction = f.fraction("vacuum-dead-fraction", 0.0, 1.0);
        Optional<String> schedule = schedule(f, cronProblem);
        List<String> fullTables = tables(f, "vacuum-full-tables");
        Optional<Boolean> unchecked = f.bool("vacuum-full-unchecked-disk");
        Optional<Boolean> sqliteFull = f.object("sqlite").flatMap(s -> s.bool("full-vacuum"));
        if (f.problems().count() > before
                || Stream.of(afterRows, deadFraction, schedule, unchecked, sqliteFull)
                        .anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new MaintenanceSettings(
                afterRows.orElseThrow(),
                deadFraction.orElseThrow(),
                schedule.orElseThrow(),
                fullTables,
                unchecked.orElseThrow(),
                sqliteFull.orElseThrow()));
    }

    private static Optional<String> schedule(Fields f, Function<String, Optional<String>> cronProblem) {
        Optional<ConfigValue> value = f.required("analyze-schedule");
        Optional<String> schedule = value.flatMap(v -> f.string(v, f.pathOf("analyze-schedule")));
        Optional<String> problem = schedule.flatMap(cronProblem);
        if (problem.isPresent()) {
            return f.reject(
                    value.orElseThrow(),
                    f.pathOf("analyze-schedule"),
                    "invalid cron expression '" + schedule.orElseThrow() + "': " + problem.get());
        }
        return schedule;
    }

    private static List<String> tables(Fields f, String key) {
        ConfigList list = f.list(key).orElse(null);
        if (list == null) {
            return List.of();
        }
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            f.table(list.get(i), f.pathOf(key) + "[" + i + "]").ifPresent(tables::add);
        }
        return tables;
    }
}
