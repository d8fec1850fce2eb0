package io.runsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prefect's own retention settings, read from the environment for the Prefect preset, so that an operator who
 * set them for Prefect's service gets the same retention from Runsweep without copying numbers by hand. They
 * form a layer between the user's file and the preset: the file wins over them, they win over the preset.
 * docs/prefect.md documents the mapping.
 */
final class PrefectEnvironment {
    static final String RETENTION_PERIOD = "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD";
    static final String BATCH_SIZE = "PREFECT_SERVER_SERVICES_DB_VACUUM_BATCH_SIZE";
    static final String EVENTS_RETENTION = "PREFECT_SERVER_EVENTS_RETENTION_PERIOD";
    static final String EVENTS_RETENTION_OLD = "PREFECT_EVENTS_RETENTION_PERIOD";
    static final String EVENT_OVERRIDES = "PREFECT_SERVER_SERVICES_DB_VACUUM_EVENT_RETENTION_OVERRIDES";

    /**
     * Runs, their task runs and logs share one period: Prefect deletes a run's logs with the run, so a logs
     * policy shorter than the runs' retention would take the logs of runs that are kept.
     */
    private static final List<String> RUN_AGES =
            List.of("flow-runs.older-than", "task-runs.older-than", "logs.older-than");

    private static final List<String> EVENT_AGES = List.of("events.older-than", "event-resources.older-than");
    private static final String OVERRIDES = "events.retention-overrides";

    /** A problem with one variable, reported with the configuration's other problems. */
    record Problem(String variable, String message) {}

    private final Map<String, String> env;
    private final List<PrefectVariable> variables = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private Config layer = ConfigFactory.empty();

    private PrefectEnvironment(Map<String, String> env) {
        this.env = env;
    }

    /** The variables that are set, turned into a configuration layer; keys the user's file sets are noted. */
    static PrefectEnvironment read(Map<String, String> env, Config userFile) {
        PrefectEnvironment prefect = new PrefectEnvironment(env);
        prefect.duration(RETENTION_PERIOD, RUN_AGES, userFile);
        prefect.batchSize(userFile);
        String events = env.containsKey(EVENTS_RETENTION) ? EVENTS_RETENTION : EVENTS_RETENTION_OLD;
        prefect.duration(events, EVENT_AGES, userFile);
        prefect.overrides(userFile);
        return prefect;
    }

    Config layer() {
        return layer;
    }

    List<PrefectVariable> variables() {
        return List.copyOf(variables);
    }

    List<Problem> problems() {
        return List.copyOf(problems);
    }

    private void duration(String name, List<String> keys, Config userFile) {
        value(name)
                .ifPresent(text -> PrefectDurations.parse(text)
                        .filter(d -> !d.isZero() && !d.isNegative())
                        .ifPresentOrElse(
                                d -> set(name, text, keys, PrefectDurations.hocon(d), userFile),
                                () -> problems.add(new Problem(
                                        name,
                                        "'" + text + "' is not a duration Prefect would read: give seconds (7776000) or"
                                                + " ISO 8601 (P90D)"))));
    }

    private void batchSize(Config userFile) {
        value(BATCH_SIZE).ifPresent(text -> {
            try {
                int size = Integer.parseInt(text.strip());
                if (size < 1 || size > PolicyReader.MAX_BATCH_SIZE) {
                    throw new NumberFormatException();
                }
                set(BATCH_SIZE, text, List.of("flow-runs.batch-size"), String.valueOf(size), userFile);
            } catch (NumberFormatException e) {
                problems.add(new Problem(
                        BATCH_SIZE, "'" + text + "' is not a whole number from 1 to " + PolicyReader.MAX_BATCH_SIZE));
            }
        });
    }

    /** A JSON object of event type to its retention, each a number of seconds or a duration string. */
    private void overrides(Config userFile) {
        Optional<String> text = value(EVENT_OVERRIDES);
        if (text.isEmpty()) {
            return;
        }
        ConfigObject json;
        try {
            json = ConfigFactory.parseString(
                            text.get(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON))
                    .root();
        } catch (ConfigException e) {
            problems.add(new Problem(
                    EVENT_OVERRIDES,
                    "expected a JSON object such as {\"prefect.flow-run.heartbeat\": 86400}: " + e.getMessage()));
            return;
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String type : json.keySet().stream().sorted().toList()) {
            ConfigValue value = json.get(type);
            Optional<Duration> age =
                    value.valueType() == ConfigValueType.NUMBER || value.valueType() == ConfigValueType.STRING
                            ? PrefectDurations.parse(String.valueOf(value.unwrapped()))
                                    .filter(d -> !d.isZero() && !d.isNegative())
                            : Optional.empty();
            if (age.isEmpty()) {
                problems.add(new Problem(
                        EVENT_OVERRIDES,
                        "the retention of \"" + type + "\", " + value.render()
                                + ", is not a duration Prefect would read: give seconds (86400) or ISO 8601 (P1D)"));
                return;
            }
            keys.put(OVERRIDES + "." + ConfigUtil.quoteString(type), PrefectDurations.hocon(age.get()));
        }
        record(EVENT_OVERRIDES, text.get(), keys, userFile);
    }

    private Optional<String> value(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    private void set(String name, String text, List<String> keys, String value, Config userFile) {
        Map<String, String> all = new LinkedHashMap<>();
        keys.forEach(k -> all.put(k, value));
        record(name, text, all, userFile);
    }

    private void record(String name, String text, Map<String, String> keys, Config userFile) {
        List<String> kept = new ArrayList<>();
        keys.forEach((key, value) -> {
            String path = "runsweep.policies." + key;
            if (setsItself(userFile, path)) {
                kept.add(key);
            }
            layer = layer.withValue(
                    path,
                    ConfigValueFactory.fromAnyRef(value)
                            .withOrigin(ConfigOriginFactory.newSimple("environment variable " + name)));
        });
        variables.add(new PrefectVariable(name, text, keys, kept));
    }

    private static boolean setsItself(Config userFile, String path) {
        try {
            return userFile.hasPathOrNull(path);
        } catch (ConfigException e) {
            return true; // a substitution there: the file decides the key
        }
    }
}
