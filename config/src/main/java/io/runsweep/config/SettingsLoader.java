package io.runsweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds {@link Settings} from a user's file, a preset and {@code reference.conf}, checks all of it
 * at once, and renders the result back as HOCON for {@code runsweep config}.
 */
public final class SettingsLoader {
  private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  private SettingsLoader() {}

  /**
   * @param file the user's file; empty for the preset and defaults alone
   * @param env the environment that {@code ${?VAR}} substitutions read; the process's is never consulted
   * @param cronProblem why a cron expression is invalid, or empty when it is valid
   * @throws SettingsException with every problem found, each starting with "file: line"
   */
  public static Settings load(Optional<Path> file, Map<String, String> env,
      Function<String, Optional<String>> cronProblem) throws SettingsException {
    Layers layers = Layers.load(file, env);
    Problems problems = new Problems();
    UnknownKeys.check(layers, problems);
    ConfigObject root = layers.merged().getObject("runsweep");
    Fields runsweep = new Fields(root, "runsweep", root.origin(), problems);
    Optional<DatabaseSettings> database = runsweep.object("database").flatMap(DatabaseReader::read);
    Optional<BatchSettings> batch = runsweep.object("batch").flatMap(SettingsLoader::batch);
    Map<String, PolicySettings> policies = policies(layers, runsweep, new PolicyReader(cronProblem));
    Optional<MaintenanceSettings> maintenance =
        runsweep.object("maintenance").flatMap(m -> MaintenanceReader.read(m, cronProblem));
    problems.throwIfAny();
    return new Settings(file, layers.presetName(), database.orElseThrow(), batch.orElseThrow(), policies,
        maintenance.orElseThrow());
  }

  private static Optional<BatchSettings> batch(Fields f) {
    int before = f.problems().count();
    Optional<Duration> target = f.duration("target-duration", true);
    Optional<Duration> pause = f.duration("pause", false);
    Optional<Integer> min = f.whole("min-size", 1, PolicyReader.MAX_BATCH_SIZE);
    Optional<Integer> max = f.whole("max-size", 1, PolicyReader.MAX_BATCH_SIZE);
    if (f.problems().count() > before) {
      return Optional.empty();
    }
    if (min.orElseThrow() > max.orElseThrow()) {
      return f.reject(f.required("min-size").orElseThrow(), f.pathOf("min-size"),
          "must not be more than max-size (" + max.orElseThrow() + "), got " + min.orElseThrow());
    }
    return Optional.of(new BatchSettings(target.orElseThrow(), pause.orElseThrow(), min.orElseThrow(), max.orElseThrow()));
  }

  /** The effective configuration as HOCON, with every password masked. */
  public static String renderEffective(Settings settings) {
    return EffectiveConfig.render(settings);
  }

  private static Map<String, PolicySettings> policies(Layers layers, Fields runsweep, PolicyReader reader) {
    runsweep.object("policy-defaults").ifPresent(reader::readDefaults);
    Map<String, PolicySettings> policies = new LinkedHashMap<>();
    if (runsweep.object("policies").isEmpty()) {
      return policies;
    }
    ConfigObject all = layers.merged().getObject("runsweep.policies");
    for (String name : inFileOrder(layers, all)) {
      ConfigValue value = all.get(name);
      String path = "runsweep.policies." + ConfigUtil.joinPath(name);
      if (value.valueType() == ConfigValueType.NULL) {
        continue; // "name = null" in the user's file removes a preset's policy
      }
      if (!POLICY_NAME.matcher(name).matches()) {
        runsweep.reject(value, path, "not a valid policy name: use letters, digits, '-' and '_'");
        continue;
      }
      if (!(value instanceof ConfigObject object)) {
        runsweep.reject(value, path, "expected an object { table = ..., ... }, got " + Fields.describe(value));
        continue;
      }
      Fields policy = new Fields(object, path, location(layers, name, value), runsweep.problems());
      reader.read(name, policy).ifPresent(p -> policies.put(name, p));
    }
    return policies;
  }

  /**
   * Typesafe objects do not keep their order, so order comes from the layers: the preset's policies
   * as the preset lists them, then the user's own policies as the file lists them.
   */
  private static List<String> inFileOrder(Layers layers, ConfigObject policies) {
    Comparator<String> byPreset = Comparator.comparingInt(n -> line(layers.preset(), n));
    Comparator<String> byUser = Comparator.comparingInt(n -> line(layers.user(), n));
    return policies.keySet().stream()
        .sorted(byPreset.thenComparing(byUser).thenComparing(Comparator.naturalOrder()))
        .toList();
  }

  private static int line(Config layer, String name) {
    return definedIn(layer, name).map(ConfigOrigin::lineNumber).orElse(Integer.MAX_VALUE);
  }

  /** Where the user wrote the policy if they did, else where the preset did. */
  private static ConfigOrigin location(Layers layers, String name, ConfigValue merged) {
    return definedIn(layers.user(), name)
        .or(() -> definedIn(layers.preset(), name))
        .orElse(merged.origin());
  }

  /** The policy's origin in one unresolved layer; empty when the layer lacks it or is too tangled to walk. */
  private static Optional<ConfigOrigin> definedIn(Config layer, String name) {
    try {
      return layer.root().get("runsweep") instanceof ConfigObject runsweep
          && runsweep.get("policies") instanceof ConfigObject policies
          && policies.get(name) != null
          ? Optional.of(policies.get(name).origin())
          : Optional.empty();
    } catch (ConfigException.NotResolved e) {
      return Optional.empty();
    }
  }
}
