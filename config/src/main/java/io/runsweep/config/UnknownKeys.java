package io.runsweep.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reports keys that nothing reads, which Typesafe Config silently ignores: a misspelt
 * {@code older-thn} would otherwise leave the default retention in force without a word.
 * Allowed keys are those of reference.conf, {@link PolicyKeys} for each policy, {@link PartitionKeys} for
 * each partition set, and {@link CheckKeys} for each stuck check and alert.
 */
final class UnknownKeys {
    /** Objects of named entries other than policies, and the keys each entry may hold. */
    private static final Map<String, List<String>> NAMED = Map.of(
            "runsweep.checks.stuck", CheckKeys.STUCK,
            "runsweep.alerts", CheckKeys.ALERT);

    private final Problems problems;

    private UnknownKeys(Problems problems) {
        this.problems = problems;
    }

    static void check(Layers layers, Problems problems) {
        UnknownKeys check = new UnknownKeys(problems);
        check.topLevel(layers.user().root());
        check.tree(layers.merged().getObject("runsweep"), layers.reference().getObject("runsweep"), "runsweep");
    }

    /** Only the user's file: the merged root also holds the environment, whose names are all fine. */
    private void topLevel(ConfigObject userRoot) {
        userRoot.forEach((key, value) -> allowed(value, ConfigUtil.joinPath(key), key, List.of("runsweep")));
    }

    private void tree(ConfigObject actual, ConfigObject shape, String path) {
        for (Map.Entry<String, ConfigValue> e : actual.entrySet()) {
            String childPath = path + "." + ConfigUtil.joinPath(e.getKey());
            ConfigValue value = e.getValue();
            if (childPath.equals("runsweep.policies")) {
                policies(value, childPath);
            } else if (childPath.equals("runsweep.partitions")) {
                partitions(value, childPath);
            } else if (NAMED.containsKey(childPath)) {
                named(value, shape.get(e.getKey()), childPath, NAMED.get(childPath));
            } else if (allowed(value, childPath, e.getKey(), shape.keySet())
                    && value instanceof ConfigObject object
                    && shape.get(e.getKey()) instanceof ConfigObject childShape) {
                tree(object, childShape, childPath);
            }
        }
    }

    private void policies(ConfigValue policies, String path) {
        if (policies instanceof ConfigObject object) {
            object.forEach((name, policy) -> policy(policy, path + "." + ConfigUtil.joinPath(name)));
        }
    }

    private void partitions(ConfigValue partitions, String path) {
        if (partitions instanceof ConfigObject object) {
            object.forEach((name, set) -> {
                if (set instanceof ConfigObject keys) {
                    keys(keys, path + "." + ConfigUtil.joinPath(name), PartitionKeys.SET);
                }
            });
        }
    }

    /** Entries that reference.conf itself holds (the alerts' webhook) are checked against its shape. */
    private void named(ConfigValue entries, ConfigValue shape, String path, List<String> entryKeys) {
        if (!(entries instanceof ConfigObject object)) {
            return; // not an object: the reader says so
        }
        object.forEach((name, entry) -> {
            String entryPath = path + "." + ConfigUtil.joinPath(name);
            if (!(entry instanceof ConfigObject entryObject)) {
                return;
            }
            if (shape instanceof ConfigObject shapes && shapes.get(name) instanceof ConfigObject entryShape) {
                tree(entryObject, entryShape, entryPath);
            } else {
                keys(entryObject, entryPath, entryKeys);
            }
        });
    }

    private void policy(ConfigValue policy, String path) {
        if (!(policy instanceof ConfigObject object)) {
            return; // not an object: the reader says so
        }
        keys(object, path, PolicyKeys.POLICY);
        if (object.get(PolicyKeys.STATUSES) instanceof ConfigObject statuses) {
            keys(statuses, path + "." + PolicyKeys.STATUSES, PolicyKeys.STATUS_FILTER);
        }
        if (object.get(PolicyKeys.ARCHIVE) instanceof ConfigObject archive) {
            keys(archive, path + "." + PolicyKeys.ARCHIVE, PolicyKeys.ARCHIVE_KEYS);
        }
        if (object.get(PolicyKeys.MISSING_PARENT) instanceof ConfigList parents) {
            for (int i = 0; i < parents.size(); i++) {
                if (parents.get(i) instanceof ConfigObject entry) {
                    keys(entry, path + "." + PolicyKeys.MISSING_PARENT + "[" + i + "]", PolicyKeys.MISSING_PARENT_KEYS);
                }
            }
        }
        // retention-overrides: its keys are the column's values, any text at all.
        for (String key : List.of(PolicyKeys.DEPENDENTS, PolicyKeys.UNREFERENCED_BY)) {
            if (object.get(key) instanceof ConfigList entries) {
                for (int i = 0; i < entries.size(); i++) {
                    if (entries.get(i) instanceof ConfigObject entry) {
                        keys(entry, path + "." + key + "[" + i + "]", PolicyKeys.DEPENDENT);
                    }
                }
            }
        }
    }

    private void keys(ConfigObject object, String path, Collection<String> known) {
        object.forEach((key, value) -> allowed(value, path + "." + ConfigUtil.joinPath(key), key, known));
    }

    private boolean allowed(ConfigValue value, String path, String key, Collection<String> known) {
        if (known.contains(key)) {
            return true;
        }
        String hint =
                closest(key, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
        problems.add(value.origin(), "unknown key '" + path + "'" + hint);
        return false;
    }

    /** The nearest known key within two edits: enough for a typo, too few to suggest nonsense. */
    private static Optional<String> closest(String key, Collection<String> known) {
        return known.stream()
                .filter(k -> distance(key, k) <= 2)
                .min(Comparator.comparingInt((String k) -> distance(key, k)));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
