package io.runsweep.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code runsweep.http}, {@code runsweep.daemon} and {@code runsweep.log}. */
final class DaemonReader {
    static final int MAX_THREADS = 16;
    static final int MAX_CONNECTIONS = 10_000;

    private DaemonReader() {}

    /** Empty when a value was bad; the problem is already recorded. */
    static Optional<DaemonSettings> read(Fields runsweep) {
        int before = runsweep.problems().count();
        Optional<DaemonSettings.Http> http = runsweep.object("http").flatMap(DaemonReader::http);
        Optional<Fields> daemon = runsweep.object("daemon");
        Optional<Integer> threads = daemon.flatMap(d -> d.whole("threads", 1, MAX_THREADS));
        Optional<Duration> shutdownTimeout = daemon.flatMap(d -> d.duration("shutdown-timeout", true));
        Optional<Duration> healthInterval = daemon.flatMap(d -> d.duration("health-interval", true));
        Optional<Duration> healthTimeout = daemon.flatMap(d -> d.duration("health-timeout", true));
        Optional<String> format = runsweep.object("log").flatMap(l -> l.choice("format", List.of("text", "json")));
        if (runsweep.problems().count() > before) {
            return Optional.empty();
        }
        return Optional.of(new DaemonSettings(
                http.orElseThrow(),
                threads.orElseThrow(),
                shutdownTimeout.orElseThrow(),
                healthInterval.orElseThrow(),
                healthTimeout.orElseThrow(),
                DaemonSettings.LogFormat.valueOf(format.orElseThrow().toUpperCase(Locale.ROOT))));
    }

    private static Optional<DaemonSettings.Http> http(Fields f) {
        Optional<Boolean> enabled = f.bool("enabled");
        Optional<String> host = f.string("host").filter(h -> !h.isBlank());
        if (f.has("host") && host.isEmpty()) {
            f.reject(
                    f.required("host").orElseThrow(),
                    f.pathOf("host"),
                    "must not be empty: use \"0.0.0.0\" for every" + " interface or \"127.0.0.1\" for this host only");
        }
        Optional<Integer> port = f.whole("port", 0, 65535);
        Optional<Duration> readTimeout = f.duration("read-timeout", true);
        Optional<Duration> writeTimeout = f.duration("write-timeout", true);
        Optional<Integer> maxConnections = f.whole("max-connections", 2, MAX_CONNECTIONS);
        if (enabled.isEmpty()
                || host.isEmpty()
                || port.isEmpty()
                || readTimeout.isEmpty()
                || writeTimeout.isEmpty()
                || maxConnections.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DaemonSettings.Http(
                enabled.get(), host.get(), port.get(), readTimeout.get(), writeTimeout.get(), maxConnections.get()));
    }
}
