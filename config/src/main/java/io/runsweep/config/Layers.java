package io.runsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The three layers of a configuration, each kept apart so that messages can say where a value came
 * from, and their merge: the user's file over the preset over {@code reference.conf}, with
 * {@code ${?VAR}} taken from the given environment only (never the process's, so tests are hermetic).
 *
 * @param user the user's file as parsed, unresolved; empty when no file was given
 * @param preset the preset as parsed, unresolved; empty when none was chosen
 * @param reference {@code reference.conf} resolved against an empty environment: the shape of the keys
 * @param merged all layers merged and resolved; only its {@code runsweep} subtree matters
 * @param prefect Prefect's own retention settings from the environment, a layer between the user's file and the
 *     Prefect preset; empty for any other preset
 */
record Layers(
        Config user,
        Optional<String> presetName,
        Config preset,
        Config reference,
        Config merged,
        Optional<PrefectEnvironment> prefect) {

    static final List<String> KNOWN_PRESETS = List.of("prefect", "milvaion");

    private static final ConfigResolveOptions NO_SYSTEM_ENV =
            ConfigResolveOptions.defaults().setUseSystemEnvironment(false);

    static Layers load(Optional<Path> file, Map<String, String> env) throws SettingsException {
        Config user = file.isPresent() ? parseUserFile(file.get()) : ConfigFactory.empty();
        Config reference = parseResource("reference.conf");
        Config environment = environment(env);
        Optional<String> presetName = presetName(user.withFallback(reference), environment);
        Config preset =
                presetName.isPresent() ? parseResource("presets/" + presetName.get() + ".conf") : ConfigFactory.empty();
        Optional<PrefectEnvironment> prefect =
                presetName.filter("prefect"::equals).map(p -> PrefectEnvironment.read(env, user));
        Config overPreset = prefect.map(PrefectEnvironment::layer).orElse(ConfigFactory.empty());
        Config merged =
                resolve(user.withFallback(overPreset).withFallback(preset).withFallback(reference), environment);
        return new Layers(user, presetName, preset, reference.resolve(NO_SYSTEM_ENV), merged, prefect);
    }

    private static Config parseUserFile(Path file) throws SettingsException {
        if (!Files.exists(file)) {
            throw new SettingsException(List.of(file + ": no such file"));
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), FileIncludes.options(file));
        } catch (ConfigException e) {
            throw fatal(e, file.toString());
        }
    }

    private static Config parseResource(String name) {
        // Runsweep's own files: a failure here is a packaging bug, not a user's mistake.
        return ConfigFactory.parseResources(
                Layers.class.getClassLoader(),
                name,
                ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
    }

    /** Each variable keeps its name in its origin, so a bad value is reported as coming from it. */
    private static Config environment(Map<String, String> env) {
        Config config = ConfigFactory.empty();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().isEmpty()) {
                config = config.withValue(
                        ConfigUtil.joinPath(e.getKey()),
                        ConfigValueFactory.fromAnyRef(e.getValue(), "environment variable " + e.getKey()));
            }
        }
        return config;
    }

    /**
     * The preset must be known before its layer can be added, so it is read from the user's file and
     * reference.conf alone; substitutions that would need the preset stay unresolved for now.
     */
    private static Optional<String> presetName(Config userOverReference, Config environment) throws SettingsException {
        Config partial;
        try {
            partial = userOverReference.withFallback(environment).resolve(NO_SYSTEM_ENV.setAllowUnresolved(true));
        } catch (ConfigException e) {
            throw fatal(e, "runsweep");
        }
        ConfigValue value;
        try {
            value = partial.getValue("runsweep.preset");
        } catch (ConfigException e) {
            throw fatal(e, "runsweep.preset");
        }
        if (value.valueType() != ConfigValueType.STRING) {
            throw problem(value, "must be a preset name, one of: " + String.join(", ", KNOWN_PRESETS));
        }
        String name = (String) value.unwrapped();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!KNOWN_PRESETS.contains(name)) {
            throw problem(value, "unknown preset '" + name + "'; known presets: " + String.join(", ", KNOWN_PRESETS));
        }
        return Optional.of(name);
    }

    private static Config resolve(Config layers, Config environment) throws SettingsException {
        try {
            return layers.withFallback(environment).resolve(NO_SYSTEM_ENV);
        } catch (ConfigException e) {
            throw fatal(e, "runsweep");
        }
    }

    private static SettingsException problem(ConfigValue value, String message) {
        Problems problems = new Problems();
        problems.add(value.origin(), "runsweep.preset", message);
        return problems.toException();
    }

    /** Parse and substitution errors stop everything: what follows cannot be read reliably. */
    private static SettingsException fatal(ConfigException e, String fallbackSource) {
        String where = e.origin() == null ? fallbackSource : Origins.format(e.origin());
        return new SettingsException(List.of(where + ": " + Origins.withoutOriginPrefix(e.getMessage(), e.origin())));
    }
}
