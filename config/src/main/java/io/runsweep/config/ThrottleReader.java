package io.runsweep.config;

import com.typesafe.config.ConfigList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads {@code runsweep.throttle} and {@code runsweep.confirm-above}. */
final class ThrottleReader {
    private ThrottleReader() {}

    /** Empty when a value was bad; the problem is already recorded. */
    static Optional<ThrottleSettings> read(Fields f) {
        int before = f.problems().count();
        Optional<Duration> lag = f.duration("max-replica-lag", false);
        List<String> urls = urls(f);
        Optional<Integer> waiters = f.whole("max-lock-waiters", -1, 10_000);
        Optional<Duration> interval = f.duration("interval", true);
        Optional<Duration> maxWait = f.duration("max-wait", false);
        if (f.problems().count() > before
                || Stream.of(lag, waiters, interval, maxWait).anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        if (!urls.isEmpty() && lag.get().isZero()) {
            return f.reject(
                    f.required("replica-urls").orElseThrow(),
                    f.pathOf("replica-urls"),
                    "replicas are listed but max-replica-lag is 0s (not watched): set max-replica-lag, e.g. 30s");
        }
        return Optional.of(new ThrottleSettings(
                lag.filter(d -> !d.isZero()), urls, waiters.filter(n -> n >= 0), interval.get(), maxWait.get()));
    }

    /** How many rows a sweep on a terminal may delete before it asks; 0 = always ask. */
    static Optional<Long> confirmAbove(Fields runsweep) {
        return runsweep.count("confirm-above", 0);
    }

    private static List<String> urls(Fields f) {
        ConfigList list = f.list("replica-urls").orElse(null);
        List<String> urls = new ArrayList<>();
        if (list == null) {
            return urls;
        }
        for (int i = 0; i < list.size(); i++) {
            String path = f.pathOf("replica-urls") + "[" + i + "]";
            com.typesafe.config.ConfigValue value = list.get(i);
            f.string(value, path).ifPresent(url -> {
                if (url.isBlank()) {
                    f.reject(value, path, "must not be empty");
                } else {
                    urls.add(url);
                }
            });
        }
        return urls;
    }
}
