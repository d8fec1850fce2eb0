package io.runsweep.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, checked reads of the keys of one configuration object. A bad value becomes a problem that
 * names its file, line and path, and an empty result; reading goes on, so every problem is found.
 */
final class Fields {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*-?[0-9.]+\\s*");

    private final ConfigObject object;
    private final String path;
    private final ConfigOrigin origin;
    private final Problems problems;

    /**
     * @param path the object's path, for messages
     * @param origin where the object is defined, for problems about keys it lacks
     */
    Fields(ConfigObject object, String path, ConfigOrigin origin, Problems problems) {
        this.object = object;
        this.path = path;
        this.origin = origin;
        this.problems = problems;
    }

    /** The object's path, for messages about the object as a whole. */
    String path() {
        return path;
    }

    ConfigOrigin origin() {
        return origin;
    }

    Problems problems() {
        return problems;
    }

    /** HOCON's {@code key = null} counts as absent, as Typesafe's hasPath has it. */
    boolean has(String key) {
        ConfigValue value = object.get(key);
        return value != null && value.valueType() != ConfigValueType.NULL;
    }

    Optional<ConfigValue> required(String key) {
        if (!has(key)) {
            problems.add(origin, path, "missing required key '" + key + "'");
            return Optional.empty();
        }
        return Optional.of(object.get(key));
    }

    String pathOf(String key) {
        return path + "." + ConfigUtil.joinPath(key);
    }

    Optional<String> string(String key) {
        return required(key).flatMap(v -> string(v, pathOf(key)));
    }

    /** Empty string means "not set": reference.conf needs some value for a key to exist at all. */
    Optional<String> optionalString(String key) {
        return has(key) ? string(key).filter(s -> !s.isEmpty()) : Optional.empty();
    }

    /** A table: {@code name} or {@code schema.name}. */
    Optional<String> table(String key) {
        return required(key).flatMap(v -> identifier(v, pathOf(key), 2));
    }

    Optional<String> column(String key) {
        return required(key).flatMap(v -> column(v, pathOf(key)));
    }

    Optional<Integer> whole(String key, int min, int max) {
        return required(key).flatMap(v -> whole(v, pathOf(key), min, max));
    }

    /** A cron expression, checked by {@code cronProblem} (Quartz's parser, in the program). */
    Optional<String> cron(String key, Function<String, Optional<String>> cronProblem) {
        Optional<ConfigValue> value = required(key);
        Optional<String> schedule = value.flatMap(v -> string(v, pathOf(key)));
        Optional<String> problem = schedule.flatMap(cronProblem);
        if (problem.isPresent()) {
            return reject(
                    value.orElseThrow(),
                    pathOf(key),
                    "invalid cron expression '" + schedule.orElseThrow() + "': " + problem.get());
        }
        return schedule;
    }

    /** A whole number from {@code min} up, beyond int's range: row counts. */
    Optional<Long> count(String key, long min) {
        return required(key).flatMap(v -> {
            Optional<Long> number = wholeNumber(v);
            if (number.isEmpty()) {
                return reject(v, pathOf(key), "expected a whole number, got " + describe(v));
            }
            return number.get() < min
                    ? reject(v, pathOf(key), "must be at least " + min + ", got " + number.get())
                    : number;
        });
    }

    /** A size in bytes, more than 0: {@code 5GB} (10^9), {@code 5GiB} (2^30), or a number of bytes. */
    Optional<Long> size(String key) {
        return required(key).flatMap(v -> {
            long bytes;
            try {
                bytes = single(v).getBytes("v");
            } catch (ConfigException e) {
                return reject(v, pathOf(key), "expected a size such as 5GB, 500MB or 2GiB; got " + describe(v));
            }
            return bytes <= 0
                    ? reject(v, pathOf(key), "must be more than 0, got " + v.unwrapped())
                    : Optional.of(bytes);
        });
    }

    /** A duration with a unit ("30d"); {@code positive} rejects zero as well as negatives. */
    Optional<Duration> duration(String key, boolean positive) {
        return required(key).flatMap(v -> duration(v, pathOf(key), positive));
    }

    /** A point in time: an ISO-8601 instant ({@code 2026-06-02T12:00:00Z}) or a date ({@code 2026-06-02}, midnight UTC). */
    Optional<Instant> instant(String key) {
        return required(key)
                .flatMap(v -> string(v, pathOf(key)).flatMap(text -> {
                    try {
                        return Optional.of(
                                text.length() == 10
                                        ? LocalDate.parse(text)
                                                .atStartOfDay(ZoneOffset.UTC)
                                                .toInstant()
                                        : Instant.parse(text));
                    } catch (DateTimeParseException e) {
                        return reject(
                                v,
                                pathOf(key),
                                "expected a time such as \"2026-06-02T12:00:00Z\" or a date such as"
                                        + " \"2026-06-02\" (UTC); got " + describe(v));
                    }
                }));
    }

    /** A number such as 0.95 within [min, max]. */
    Optional<Double> fraction(String key, double min, double max) {
        return required(key).flatMap(v -> {
            if (!(v.unwrapped() instanceof Number n)) {
                return reject(v, pathOf(key), "expected a number such as 0.95, got " + describe(v));
            }
            double d = n.doubleValue();
            return d < min || d > max
                    ? reject(v, pathOf(key), "must be between " + min + " and " + max + ", got " + d)
                    : Optional.of(d);
        });
    }

    /** One of a fixed set of words. */
    Optional<String> choice(String key, List<String> allowed) {
        return required(key)
                .flatMap(v -> string(v, pathOf(key))
                        .flatMap(s -> allowed.contains(s)
                                ? Optional.of(s)
                                : reject(
                                        v,
                                        pathOf(key),
                                        "expected one of " + String.join(", ", allowed) + ", got '" + s + "'")));
    }

    Optional<Boolean> bool(String key) {
        return required(key).flatMap(v -> {
            try {
                return Optional.of(single(v).getBoolean("v"));
            } catch (ConfigException e) {
                return reject(v, pathOf(key), "expected true or false, got " + describe(v));
            }
        });
    }

    Optional<Fields> object(String key) {
        return required(key).flatMap(v -> object(v, pathOf(key)));
    }

    Optional<ConfigList> list(String key) {
        return required(key)
                .flatMap(v -> v instanceof ConfigList list
                        ? Optional.of(list)
                        : reject(v, pathOf(key), "expected a list [...], got " + describe(v)));
    }

    // Checks of single values, shared with the elements of lists.

    Optional<Fields> object(ConfigValue value, String valuePath) {
        return value instanceof ConfigObject o
                ? Optional.of(new Fields(o, valuePath, o.origin(), problems))
                : reject(value, valuePath, "expected an object { ... }, got " + describe(value));
    }

    Optional<String> string(ConfigValue value, String valuePath) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> Optional.of(String.valueOf(value.unwrapped()));
            default -> reject(value, valuePath, "expected a string, got " + describe(value));
        };
    }

    Optional<String> column(ConfigValue value, String valuePath) {
        return identifier(value, valuePath, 1);
    }

    Optional<String> table(ConfigValue value, String valuePath) {
        return identifier(value, valuePath, 2);
    }

    private Optional<String> identifier(ConfigValue value, String valuePath, int maxParts) {
        return string(value, valuePath).flatMap(name -> {
            String[] parts = name.split("\\.", -1);
            boolean valid = parts.length <= maxParts;
            for (String part : parts) {
                valid &= IDENTIFIER.matcher(part).matches();
            }
            return valid ? Optional.of(name) : reject(value, valuePath, "not a valid identifier: '" + name + "'");
        });
    }

    private Optional<Integer> whole(ConfigValue value, String valuePath, int min, int max) {
        Optional<Long> number = wholeNumber(value);
        if (number.isEmpty()) {
            return reject(value, valuePath, "expected a whole number, got " + describe(value));
        }
        long n = number.get();
        if (n < min || n > max) {
            return reject(value, valuePath, "must be between " + min + " and " + max + ", got " + n);
        }
        return Optional.of((int) n);
    }

    /** A whole number, written as one or as a string of one (as environment variables are). */
    static Optional<Long> wholeNumber(ConfigValue value) {
        Object raw = value.unwrapped();
        if (raw instanceof Integer || raw instanceof Long) {
            return Optional.of(((Number) raw).longValue());
        }
        if (raw instanceof String s) {
            try {
                return Optional.of(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Optional<Duration> duration(ConfigValue value, String valuePath, boolean positive) {
        // Typesafe reads a bare number as milliseconds: "older-than = 30" would keep 30 ms of history.
        if (value.valueType() == ConfigValueType.NUMBER
                || (value.valueType() == ConfigValueType.STRING
                        && BARE_NUMBER.matcher((String) value.unwrapped()).matches())) {
            return reject(value, valuePath, "needs a unit, e.g. 30d, 12h, 10s; got " + describe(value));
        }
        Duration d;
        try {
            d = single(value).getDuration("v");
        } catch (ConfigException e) {
            return reject(value, valuePath, "expected a duration such as 30d, 12h, 10s; got " + describe(value));
        }
        if (positive && (d.isNegative() || d.isZero())) {
            return reject(value, valuePath, "must be more than 0, got " + value.unwrapped());
        }
        if (d.isNegative()) {
            return reject(value, valuePath, "must not be negative, got " + value.unwrapped());
        }
        return Optional.of(d);
    }

    <T> Optional<T> reject(ConfigValue value, String valuePath, String message) {
        problems.add(value.origin(), valuePath, message);
        return Optional.empty();
    }

    static String describe(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING -> "'" + value.unwrapped() + "'";
            case NUMBER, BOOLEAN -> String.valueOf(value.unwrapped());
            case LIST -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
        };
    }

    /** Lets Typesafe's own parsing (durations, "yes"/"on" booleans) apply to one value. */
    private static com.typesafe.config.Config single(ConfigValue value) {
        return ConfigFactory.empty().withValue("v", value);
    }
}
