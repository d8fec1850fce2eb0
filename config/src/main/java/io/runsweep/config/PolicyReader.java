package io.runsweep.config;

import static io.runsweep.config.PolicyKeys.BATCH_SIZE;
import static io.runsweep.config.PolicyKeys.COLUMN;
import static io.runsweep.config.PolicyKeys.DEPENDENTS;
import static io.runsweep.config.PolicyKeys.ENABLED;
import static io.runsweep.config.PolicyKeys.KEY_COLUMN;
import static io.runsweep.config.PolicyKeys.OLDER_THAN;
import static io.runsweep.config.PolicyKeys.SCHEDULE;
import static io.runsweep.config.PolicyKeys.STATUSES;
import static io.runsweep.config.PolicyKeys.TABLE;
import static io.runsweep.config.PolicyKeys.TIME_COLUMN;
import static io.runsweep.config.PolicyKeys.VALUES;
import static io.runsweep.config.PolicyKeys.WHERE_NULL;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.runsweep.config.PolicySettings.StatusFilter;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.config.PolicySettings.TableColumn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads one policy. A key the policy does not set comes from {@code runsweep.policy-defaults}, which
 * is read once, so a bad default is reported once rather than once per policy.
 */
final class PolicyReader {
    static final int MAX_BATCH_SIZE = 1_000_000;

    /** The defaults as read; empty where the default itself was bad. */
    record Defaults(
            Optional<Integer> batchSize,
            Optional<Boolean> enabled,
            Optional<String> schedule,
            Optional<Integer> maxRows,
            Optional<Duration> maxRuntime,
            Optional<Double> maxFraction,
            Optional<Strategy> strategy,
            Optional<ArchiveSettings> archive) {}

    private final Function<String, Optional<String>> cronProblem;
    private Defaults defaults;

    PolicyReader(Function<String, Optional<String>> cronProblem) {
        this.cronProblem = cronProblem;
    }

    void readDefaults(Fields f) {
        defaults = new Defaults(
                batchSize(f),
                f.bool(ENABLED),
                schedule(f),
                maxRows(f),
                f.duration(PolicyKeys.MAX_RUNTIME, false),
                maxFraction(f),
                strategy(f),
                f.object(PolicyKeys.ARCHIVE).flatMap(a -> ArchiveReader.read(a, Optional.empty())));
    }

    /** Empty when something was bad; the problems are already recorded. */
    Optional<PolicySettings> read(String name, Fields f) {
        int before = f.problems().count();
        Optional<String> table = f.table(TABLE);
        Optional<String> timeColumn = f.column(TIME_COLUMN);
        Optional<String> fallback =
                f.has(PolicyKeys.TIME_COLUMN_FALLBACK) ? f.column(PolicyKeys.TIME_COLUMN_FALLBACK) : Optional.empty();
        Optional<Duration> olderThan = f.duration(OLDER_THAN, true);
        Optional<StatusFilter> statuses =
                f.has(STATUSES) ? f.object(STATUSES).flatMap(PolicyReader::statuses) : Optional.empty();
        List<String> whereNull = f.has(WHERE_NULL) ? whereNull(f) : List.of();
        Optional<String> keyColumn = f.has(KEY_COLUMN) ? f.column(KEY_COLUMN) : Optional.empty();
        List<TableColumn> dependents = f.has(DEPENDENTS) ? tableColumns(f, DEPENDENTS) : List.of();
        List<TableColumn> unreferencedBy =
                f.has(PolicyKeys.UNREFERENCED_BY) ? tableColumns(f, PolicyKeys.UNREFERENCED_BY) : List.of();
        Optional<Integer> maxRows = f.has(PolicyKeys.MAX_ROWS) ? maxRows(f) : defaults.maxRows();
        Optional<Duration> maxRuntime =
                f.has(PolicyKeys.MAX_RUNTIME) ? f.duration(PolicyKeys.MAX_RUNTIME, false) : defaults.maxRuntime();
        Optional<Double> maxFraction = f.has(PolicyKeys.MAX_FRACTION) ? maxFraction(f) : defaults.maxFraction();
        Optional<Strategy> strategy = f.has(PolicyKeys.STRATEGY) ? strategy(f) : defaults.strategy();
        Optional<Instant> allowLargeUntil =
                f.has(PolicyKeys.ALLOW_LARGE_UNTIL) ? f.instant(PolicyKeys.ALLOW_LARGE_UNTIL) : Optional.empty();
        Optional<Boolean> allowCascadeConflicts = f.has(PolicyKeys.ALLOW_CASCADE_CONFLICTS)
                ? f.bool(PolicyKeys.ALLOW_CASCADE_CONFLICTS)
                : Optional.of(false);
        Optional<Integer> batchSize = f.has(BATCH_SIZE) ? batchSize(f) : defaults.batchSize();
        Optional<Boolean> enabled = f.has(ENABLED) ? f.bool(ENABLED) : defaults.enabled();
        Optional<String> schedule = f.has(SCHEDULE) ? schedule(f) : defaults.schedule();
        Optional<ArchiveSettings> archive = f.has(PolicyKeys.ARCHIVE)
                ? f.object(PolicyKeys.ARCHIVE).flatMap(a -> ArchiveReader.read(a, defaults.archive()))
                : defaults.archive();
        Optional<RetentionOverrides> overrides = OverridesReader.read(f, statuses.isPresent());
        List<PolicySettings.MissingParent> missingParents =
                f.has(PolicyKeys.MISSING_PARENT) ? missingParents(f) : List.of();
        if (f.problems().count() > before
                || Stream.of(
                                table,
                                timeColumn,
                                olderThan,
                                batchSize,
                                enabled,
                                schedule,
                                maxRows,
                                maxRuntime,
                                maxFraction,
                                strategy,
                                allowCascadeConflicts,
                                archive,
                                overrides)
                        .anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new PolicySettings(
                name,
                table.orElseThrow(),
                timeColumn.orElseThrow(),
                fallback,
                olderThan.orElseThrow(),
                statuses,
                whereNull,
                unreferencedBy,
                keyColumn,
                dependents,
                batchSize.orElseThrow(),
                new PolicySettings.RunLimits(
                        maxRows.orElseThrow(),
                        maxRuntime.orElseThrow(),
                        maxFraction.orElseThrow(),
                        allowLargeUntil,
                        allowCascadeConflicts.orElseThrow()),
                strategy.orElseThrow(),
                enabled.orElseThrow(),
                schedule.orElseThrow(),
                Origins.format(f.origin()),
                archive.orElseThrow(),
                overrides.orElseThrow(),
                missingParents));
    }

    private static List<PolicySettings.MissingParent> missingParents(Fields f) {
        ConfigList list = f.list(PolicyKeys.MISSING_PARENT).orElse(null);
        if (list == null) {
            return List.of();
        }
        List<PolicySettings.MissingParent> parents = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            f.object(list.get(i), f.pathOf(PolicyKeys.MISSING_PARENT) + "[" + i + "]")
                    .ifPresent(p -> {
                        Optional<String> column = p.column(COLUMN);
                        Optional<String> table = p.table(TABLE);
                        Optional<String> key = p.column(PolicyKeys.KEY);
                        if (column.isPresent() && table.isPresent() && key.isPresent()) {
                            parents.add(new PolicySettings.MissingParent(column.get(), table.get(), key.get()));
                        }
                    });
        }
        return parents;
    }

    private static Optional<Integer> maxRows(Fields f) {
        return f.whole(PolicyKeys.MAX_ROWS, 0, Integer.MAX_VALUE);
    }

    private static Optional<Double> maxFraction(Fields f) {
        return f.fraction(PolicyKeys.MAX_FRACTION, 0.0, 1.0);
    }

    private static Optional<Strategy> strategy(Fields f) {
        return f.choice(PolicyKeys.STRATEGY, PolicyKeys.STRATEGIES).map(Strategy::of);
    }

    private static Optional<Integer> batchSize(Fields f) {
        return f.whole(BATCH_SIZE, 1, MAX_BATCH_SIZE);
    }

    private Optional<String> schedule(Fields f) {
        return f.cron(SCHEDULE, cronProblem);
    }

    private static Optional<StatusFilter> statuses(Fields s) {
        Optional<String> column = s.column(COLUMN);
        Optional<List<Object>> values = s.list(VALUES).flatMap(l -> statusValues(s, VALUES, l));
        return column.isPresent() && values.isPresent()
                ? Optional.of(new StatusFilter(column.get(), values.get()))
                : Optional.empty();
    }

    /** Strings stay strings, whole numbers become Longs, booleans Booleans: the column's type decides. */
    static Optional<List<Object>> statusValues(Fields s, String key, ConfigList list) {
        String path = s.pathOf(key);
        if (list.isEmpty()) {
            return s.reject(list, path, "must list at least one value: an empty list would match no row");
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            if (v.valueType() == ConfigValueType.STRING) {
                values.add(v.unwrapped());
            } else if (v.valueType() == ConfigValueType.NUMBER
                    && Fields.wholeNumber(v).isPresent()) {
                values.add(Fields.wholeNumber(v).get());
            } else if (v.valueType() == ConfigValueType.BOOLEAN) {
                values.add(v.unwrapped());
            } else {
                s.reject(
                        v,
                        path + "[" + i + "]",
                        "expected a string, a whole number or true/false, got " + Fields.describe(v));
            }
        }
        return values.size() == list.size() ? Optional.of(values) : Optional.empty();
    }

    private static List<String> whereNull(Fields f) {
        ConfigList list = f.list(WHERE_NULL).orElse(null);
        if (list == null) {
            return List.of();
        }
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            f.column(list.get(i), f.pathOf(WHERE_NULL) + "[" + i + "]").ifPresent(columns::add);
        }
        return columns;
    }

    private static List<TableColumn> tableColumns(Fields f, String key) {
        ConfigList list = f.list(key).orElse(null);
        if (list == null) {
            return List.of();
        }
        List<TableColumn> dependents = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            f.object(list.get(i), f.pathOf(key) + "[" + i + "]").ifPresent(d -> {
                Optional<String> table = d.table(TABLE);
                Optional<String> column = d.column(COLUMN);
                if (table.isPresent() && column.isPresent()) {
                    dependents.add(new TableColumn(table.get(), column.get()));
                }
            });
        }
        return dependents;
    }
}
