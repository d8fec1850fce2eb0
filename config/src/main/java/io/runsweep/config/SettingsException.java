package io.runsweep.config;

import java.util.List;

/** Every problem found in a configuration, each starting with "file: line". */
public final class SettingsException extends Exception {
    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(
                problems.size() == 1
                        ? problems.get(0)
                        : problems.size() + " problems in the configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
