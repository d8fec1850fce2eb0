package io.runsweep.config;

import com.typesafe.config.ConfigList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code runsweep.review}. */
final class ReviewReader {
    private ReviewReader() {}

    /** Empty when a value was bad; the problem is already recorded. */
    static Optional<ReviewSettings> read(Fields f) {
        int before = f.problems().count();
        Optional<String> indexName = f.string("index-name");
        if (indexName.isPresent() && !ReviewSettings.validTemplate(indexName.get())) {
            f.reject(
                    f.required("index-name").orElseThrow(),
                    f.pathOf("index-name"),
                    "must contain {column} (and usually {table}) and otherwise letters, digits and '_', e.g."
                            + " \"ix_{table}__{column}\"; got \"" + indexName.get() + "\"");
        }
        List<String> owned = names(f, "scheduler-indexes");
        if (f.problems().count() > before) {
            return Optional.empty();
        }
        return Optional.of(new ReviewSettings(indexName.orElseThrow(), owned));
    }

    private static List<String> names(Fields f, String key) {
        ConfigList list = f.list(key).orElse(null);
        if (list == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            f.string(list.get(i), f.pathOf(key) + "[" + i + "]").ifPresent(names::add);
        }
        return names;
    }
}
