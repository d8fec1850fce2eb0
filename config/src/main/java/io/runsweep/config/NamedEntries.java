package io.runsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The entries of an object of named objects (policies, stuck checks, alerts): each with its name checked,
 * in file order, and located where the user defined it, else where the preset did.
 */
final class NamedEntries {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    /** One entry, its keys ready to read. */
    record Named(String name, Fields fields) {}

    private final Layers layers;
    private final List<String> path;

    private NamedEntries(Layers layers, List<String> path) {
        this.layers = layers;
        this.path = path;
    }

    /**
     * @param key the object's key in {@code parent}, e.g. "policies"
     * @param noun what an entry is, for messages: "policy"
     * @param reserved keys of the object that are not entries (read elsewhere)
     */
    static List<Named> read(Layers layers, Fields parent, String key, String noun, Set<String> reserved) {
        if (parent.object(key).isEmpty()) {
            return List.of();
        }
        String fullPath = parent.pathOf(key);
        List<String> parts = ConfigUtil.splitPath(fullPath);
        ConfigObject all = layers.merged().getObject(fullPath);
        NamedEntries entries = new NamedEntries(layers, parts);
        List<Named> named = new ArrayList<>();
        for (String name : entries.inFileOrder(all)) {
            ConfigValue value = all.get(name);
            String entryPath = fullPath + "." + ConfigUtil.joinPath(name);
            if (reserved.contains(name) || value.valueType() == ConfigValueType.NULL) {
                continue; // "name = null" in the user's file removes a preset's entry
            }
            if (!NAME.matcher(name).matches()) {
                parent.reject(value, entryPath, "not a valid " + noun + " name: use letters, digits, '-' and '_'");
            } else if (value instanceof ConfigObject object) {
                named.add(new Named(
                        name, new Fields(object, entryPath, entries.location(name, value), parent.problems())));
            } else {
                parent.reject(value, entryPath, "expected an object { ... }, got " + Fields.describe(value));
            }
        }
        return named;
    }

    /** Every valid entry of {@code parent.key}, read by {@code reader}, by name in file order. */
    static <T> Map<String, T> readAll(
            Layers layers, Fields parent, String key, String noun, BiFunction<String, Fields, Optional<T>> reader) {
        Map<String, T> all = new LinkedHashMap<>();
        for (Named entry : read(layers, parent, key, noun, Set.of())) {
            reader.apply(entry.name(), entry.fields()).ifPresent(t -> all.put(entry.name(), t));
        }
        return all;
    }

    /**
     * The names an object of entries holds, whether or not each entry is valid, for checking references to
     * them: a reference to a policy with a bad value is not a second problem.
     */
    static Set<String> names(Layers layers, String path) {
        if (!layers.merged().hasPath(path) || !(layers.merged().getValue(path) instanceof ConfigObject all)) {
            return Set.of();
        }
        return all.keySet().stream()
                .filter(name -> all.get(name).valueType() != ConfigValueType.NULL)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Typesafe objects do not keep their order, so order comes from the layers: the preset's entries
     * as the preset lists them, then the user's own as the file lists them.
     */
    private List<String> inFileOrder(ConfigObject entries) {
        Comparator<String> byPreset = Comparator.comparingInt(n -> line(layers.preset(), n));
        Comparator<String> byUser = Comparator.comparingInt(n -> line(layers.user(), n));
        return entries.keySet().stream()
                .sorted(byPreset.thenComparing(byUser).thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    private int line(Config layer, String name) {
        return definedIn(layer, name).map(ConfigOrigin::lineNumber).orElse(Integer.MAX_VALUE);
    }

    /** Where the user wrote the entry if they did, else where the preset did. */
    private ConfigOrigin location(String name, ConfigValue merged) {
        return definedIn(layers.user(), name)
                .or(() -> definedIn(layers.preset(), name))
                .orElse(merged.origin());
    }

    /** The entry's origin in one unresolved layer; empty when the layer lacks it or is too tangled to walk. */
    private Optional<ConfigOrigin> definedIn(Config layer, String name) {
        try {
            ConfigValue value = layer.root();
            for (String part : path) {
                if (!(value instanceof ConfigObject object)) {
                    return Optional.empty();
                }
                value = object.get(part);
            }
            return value instanceof ConfigObject entries && entries.get(name) != null
                    ? Optional.of(entries.get(name).origin())
                    : Optional.empty();
        } catch (ConfigException.NotResolved e) {
            return Optional.empty();
        }
    }
}
