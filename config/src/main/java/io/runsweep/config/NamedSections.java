package io.runsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The entries of a section of named objects ({@code runsweep.policies}, {@code runsweep.partitions}):
 * their order and where each is defined. Typesafe objects do not keep their order, so it comes from
 * the layers: the preset's entries as the preset lists them, then the user's own as the file lists them.
 */
final class NamedSections {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  private NamedSections() {}

  /**
   * Reads every entry of {@code runsweep.<section>} with {@code reader}, in file order. An entry set to
   * null is left out: that is how a user's file removes a preset's entry.
   *
   * @param what what one entry is called in messages: "policy", "partition set"
   */
  static <T> Map<String, T> read(Layers layers, Fields runsweep, String section, String what,
      BiFunction<String, Fields, Optional<T>> reader) {
    Map<String, T> read = new LinkedHashMap<>();
    if (runsweep.object(section).isEmpty()) {
      return read;
    }
    ConfigObject all = layers.merged().getObject("runsweep." + section);
    for (String name : inFileOrder(layers, section, all)) {
      ConfigValue value = all.get(name);
      String path = "runsweep." + section + "." + ConfigUtil.joinPath(name);
      if (value.valueType() == ConfigValueType.NULL) {
        continue;
      }
      if (!NAME.matcher(name).matches()) {
        runsweep.reject(value, path, "not a valid " + what + " name: use letters, digits, '-' and '_'");
        continue;
      }
      if (!(value instanceof ConfigObject object)) {
        runsweep.reject(value, path, "expected an object { table = ..., ... }, got " + Fields.describe(value));
        continue;
      }
      Fields entry = new Fields(object, path, location(layers, section, name, value), runsweep.problems());
      reader.apply(name, entry).ifPresent(t -> read.put(name, t));
    }
    return read;
  }

  private static List<String> inFileOrder(Layers layers, String section, ConfigObject entries) {
    Comparator<String> byPreset = Comparator.comparingInt(n -> line(layers.preset(), section, n));
    Comparator<String> byUser = Comparator.comparingInt(n -> line(layers.user(), section, n));
    return entries.keySet().stream()
        .sorted(byPreset.thenComparing(byUser).thenComparing(Comparator.naturalOrder()))
        .toList();
  }

  /** Where the user wrote the entry if they did, else where the preset did. */
  private static ConfigOrigin location(Layers layers, String section, String name, ConfigValue merged) {
    return definedIn(layers.user(), section, name)
        .or(() -> definedIn(layers.preset(), section, name))
        .orElse(merged.origin());
  }

  private static int line(Config layer, String section, String name) {
    return definedIn(layer, section, name).map(ConfigOrigin::lineNumber).orElse(Integer.MAX_VALUE);
  }

  /** The entry's origin in one unresolved layer; empty when the layer lacks it or is too tangled to walk. */
  private static Optional<ConfigOrigin> definedIn(Config layer, String section, String name) {
    try {
      return layer.root().get("runsweep") instanceof ConfigObject runsweep
          && runsweep.get(section) instanceof ConfigObject entries
          && entries.get(name) != null
          ? Optional.of(entries.get(name).origin())
          : Optional.empty();
    } catch (ConfigException.NotResolved e) {
      return Optional.empty();
    }
  }
}
