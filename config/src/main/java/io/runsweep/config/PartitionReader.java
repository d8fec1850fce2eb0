package io.runsweep.config;

import static io.runsweep.config.PartitionKeys.ARCHIVE_SCHEMA;
import static io.runsweep.config.PartitionKeys.COLUMN;
import static io.runsweep.config.PartitionKeys.ENABLED;
import static io.runsweep.config.PartitionKeys.INTERVAL;
import static io.runsweep.config.PartitionKeys.LOCK_ATTEMPTS;
import static io.runsweep.config.PartitionKeys.LOCK_BACKOFF;
import static io.runsweep.config.PartitionKeys.ON_EXPIRE;
import static io.runsweep.config.PartitionKeys.PREMAKE;
import static io.runsweep.config.PartitionKeys.RETENTION;
import static io.runsweep.config.PartitionKeys.SCHEDULE;
import static io.runsweep.config.PartitionKeys.TABLE;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.config.PartitionSettings.OnExpire;
import java.time.Duration;
import java.time.Period;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads one partition set. Keys it does not set come from {@code runsweep.partition-defaults}, read once,
 * so that a bad default is reported once.
 */
final class PartitionReader {
    static final int MAX_PREMAKE = 1000;
    static final int MAX_RETENTION = 100_000;
    static final int MAX_LOCK_ATTEMPTS = 100;
    /** Units whose length varies: months, years; weeks read as a period too, as pg_partman writes them. */
    private static final java.util.regex.Pattern CALENDAR_UNIT =
            java.util.regex.Pattern.compile("(?i)\\d\\s*(mo|months?|y|years?|w|weeks?)\\s*$");
    /** PostgreSQL truncates longer names, which would make two partitions' names collide. */
    private static final int MAX_NAME_LENGTH = 63;

    private record Defaults(
            Optional<Integer> premake,
            Optional<OnExpire> onExpire,
            Optional<String> archiveSchema,
            Optional<Integer> lockAttempts,
            Optional<Duration> lockBackoff,
            Optional<Boolean> enabled,
            Optional<String> schedule) {}

    private final Function<String, Optional<String>> cronProblem;
    /** Table to the set that manages it: two sets on one table would fight over its partitions. */
    private final Map<String, String> tables = new HashMap<>();
    /** All empty until read: a partition-defaults that is not an object leaves every set without defaults. */
    private Defaults defaults = new Defaults(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    PartitionReader(Function<String, Optional<String>> cronProblem) {
        this.cronProblem = cronProblem;
    }

    void readDefaults(Fields f) {
        defaults = new Defaults(
                premake(f),
                onExpire(f),
                archiveSchema(f),
                lockAttempts(f),
                f.duration(LOCK_BACKOFF, false),
                f.bool(ENABLED),
                schedule(f));
    }

    /** Empty when something was bad; the problems are already recorded. */
    Optional<PartitionSettings> read(String name, Fields f) {
        int before = f.problems().count();
        Optional<Interval> interval =
                f.choice(INTERVAL, words(Interval.values())).map(PartitionReader::interval);
        Optional<String> table = f.table(TABLE).flatMap(t -> partitionNamesFit(f, t, interval));
        Optional<String> column = f.column(COLUMN);
        Optional<PartitionSettings.Retention> retention = retention(f);
        Optional<Integer> premake = f.has(PREMAKE) ? premake(f) : defaults.premake();
        Optional<OnExpire> onExpire = f.has(ON_EXPIRE) ? onExpire(f) : defaults.onExpire();
        Optional<String> archiveSchema = f.has(ARCHIVE_SCHEMA) ? archiveSchema(f) : defaults.archiveSchema();
        Optional<Integer> lockAttempts = f.has(LOCK_ATTEMPTS) ? lockAttempts(f) : defaults.lockAttempts();
        Optional<Duration> lockBackoff = f.has(LOCK_BACKOFF) ? f.duration(LOCK_BACKOFF, false) : defaults.lockBackoff();
        Optional<Boolean> enabled = f.has(ENABLED) ? f.bool(ENABLED) : defaults.enabled();
        Optional<String> schedule = f.has(SCHEDULE) ? schedule(f) : defaults.schedule();
        table.ifPresent(t -> oneSetPerTable(f, name, t));
        if (f.problems().count() > before
                || Stream.of(
                                interval,
                                table,
                                column,
                                retention,
                                premake,
                                onExpire,
                                archiveSchema,
                                lockAttempts,
                                lockBackoff,
                                enabled,
                                schedule)
                        .anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new PartitionSettings(
                name,
                table.get(),
                column.get(),
                interval.get(),
                premake.get(),
                retention.get(),
                onExpire.get(),
                archiveSchema.get(),
                lockAttempts.get(),
                lockBackoff.get(),
                enabled.get(),
                schedule.get(),
                Origins.format(f.origin())));
    }

    /**
     * A whole number of intervals, or an age as pg_partman writes it. Calendar units ("3 months", "1 year",
     * "2 weeks") are read as a period, since 180d is not six months; clock units (90d, 36h) as a duration.
     */
    private static Optional<PartitionSettings.Retention> retention(Fields f) {
        Optional<ConfigValue> value = f.required(RETENTION);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (Fields.wholeNumber(value.get()).isPresent()) {
            return f.whole(RETENTION, 1, MAX_RETENTION).map(PartitionSettings.Retention.Intervals::new);
        }
        Optional<PartitionSettings.Retention> age = value.get().valueType() == ConfigValueType.STRING
                ? age((String) value.get().unwrapped())
                : Optional.empty();
        return age.isPresent()
                ? age
                : f.reject(
                        value.get(),
                        f.pathOf(RETENTION),
                        "expected a whole number of intervals (6 with interval = monthly keeps six months before the"
                                + " current one) or an age such as \"3 months\", \"2 weeks\", 90d; got "
                                + Fields.describe(value.get()));
    }

    private static Optional<PartitionSettings.Retention> age(String text) {
        com.typesafe.config.Config one = ConfigFactory.parseString("v = " + ConfigUtil.quoteString(text));
        try {
            if (CALENDAR_UNIT.matcher(text).find()) {
                Period period = one.getPeriod("v");
                return period.isNegative() || period.isZero()
                        ? Optional.empty()
                        : Optional.of(new PartitionSettings.Retention.Age(period, Duration.ZERO, text));
            }
            Duration duration = one.getDuration("v");
            return duration.isNegative() || duration.isZero()
                    ? Optional.empty()
                    : Optional.of(new PartitionSettings.Retention.Age(Period.ZERO, duration, text));
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> premake(Fields f) {
        return f.whole(PREMAKE, 1, MAX_PREMAKE);
    }

    private static Optional<OnExpire> onExpire(Fields f) {
        return f.choice(ON_EXPIRE, words(OnExpire.values())).map(w -> OnExpire.valueOf(w.toUpperCase(Locale.ROOT)));
    }

    private static Optional<String> archiveSchema(Fields f) {
        return f.column(ARCHIVE_SCHEMA);
    }

    private static Optional<Integer> lockAttempts(Fields f) {
        return f.whole(LOCK_ATTEMPTS, 1, MAX_LOCK_ATTEMPTS);
    }

    private Optional<String> schedule(Fields f) {
        Optional<ConfigValue> value = f.required(SCHEDULE);
        Optional<String> schedule = value.flatMap(v -> f.string(v, f.pathOf(SCHEDULE)));
        Optional<String> problem = schedule.flatMap(cronProblem);
        if (problem.isPresent()) {
            return f.reject(
                    value.get(),
                    f.pathOf(SCHEDULE),
                    "invalid cron expression '" + schedule.get() + "': " + problem.get());
        }
        return schedule;
    }

    /** Partitions are named {@code <table>_yyyy_mm[_dd]}, which must stay a whole PostgreSQL name. */
    private static Optional<String> partitionNamesFit(Fields f, String table, Optional<Interval> interval) {
        String own = table.substring(table.indexOf('.') + 1);
        int suffix = interval.orElse(Interval.DAILY) == Interval.MONTHLY ? "_yyyy_mm".length() : "_yyyy_mm_dd".length();
        if (own.length() + suffix > MAX_NAME_LENGTH) {
            return f.reject(
                    f.required(TABLE).get(),
                    f.pathOf(TABLE),
                    "name too long for its partitions' names ('" + own + "' + '_yyyy_mm" + (suffix > 8 ? "_dd" : "")
                            + "' is more than " + MAX_NAME_LENGTH + " characters)");
        }
        return Optional.of(table);
    }

    private void oneSetPerTable(Fields f, String name, String table) {
        String other = tables.putIfAbsent(table, name);
        if (other != null) {
            f.reject(
                    f.required(TABLE).get(),
                    f.pathOf(TABLE),
                    "table '" + table + "' is already managed by partition set '" + other + "'; one set per table");
        }
    }

    private static Interval interval(String word) {
        return Interval.valueOf(word.toUpperCase(Locale.ROOT));
    }

    private static List<String> words(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }
}
