package io.runsweep.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem in a configuration, so the user fixes them all in one edit instead of one
 * per run. Reported in file order: by source in order of first appearance, then by line.
 */
final class Problems {
    private record Problem(String source, int line, String text) {}

    private final List<Problem> problems = new ArrayList<>();

    /** A problem with a value: "file: line: path: message". */
    void add(ConfigOrigin origin, String path, String message) {
        add(origin, path + ": " + message);
    }

    /** A problem whose text names its subject itself: "file: line: text". */
    void add(ConfigOrigin origin, String text) {
        String source = Origins.source(origin);
        problems.add(new Problem(
                source == null ? origin.description() : source,
                origin.lineNumber(),
                Origins.format(origin) + ": " + text));
    }

    /** How many so far: a reader compares counts to know whether what it just read was sound. */
    int count() {
        return problems.size();
    }

    void throwIfAny() throws SettingsException {
        if (!problems.isEmpty()) {
            throw toException();
        }
    }

    SettingsException toException() {
        return new SettingsException(sorted());
    }

    private List<String> sorted() {
        List<String> sources = problems.stream().map(Problem::source).distinct().toList();
        return problems.stream()
                .sorted(Comparator.comparingInt((Problem p) -> sources.indexOf(p.source()))
                        .thenComparingInt(Problem::line))
                .map(Problem::text)
                .toList();
    }
}
