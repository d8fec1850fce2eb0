package io.runsweep.config;

import com.typesafe.config.ConfigValue;
import io.runsweep.config.AlertSettings.Alert;
import io.runsweep.config.AlertSettings.Kind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code runsweep.alerts}: each alert has exactly one threshold and the one subject that threshold
 * watches (a table, a policy, a stuck check or a job); policies, stuck checks and jobs must exist.
 */
final class AlertReader {
    private static final int MAX_RETRIES = 10;

    private final Set<String> policies;
    private final Set<String> stuckChecks;

    private AlertReader(Set<String> policies, Set<String> stuckChecks) {
        this.policies = policies;
        this.stuckChecks = stuckChecks;
    }

    /** Empty when something was bad; the problems are already recorded. */
    static Optional<AlertSettings> read(Layers layers, Fields runsweep) {
        Optional<Fields> alerts = runsweep.object("alerts");
        if (alerts.isEmpty()) {
            return Optional.empty();
        }
        int before = runsweep.problems().count();
        Optional<WebhookSettings> webhook =
                alerts.get().object(CheckKeys.WEBHOOK).flatMap(AlertReader::webhook);
        AlertReader reader = new AlertReader(
                NamedEntries.names(layers, "runsweep.policies"), NamedEntries.names(layers, "runsweep.checks.stuck"));
        List<Alert> read = new ArrayList<>();
        for (NamedEntries.Named entry :
                NamedEntries.read(layers, runsweep, "alerts", "alert", Set.of(CheckKeys.WEBHOOK))) {
            reader.alert(entry.name(), entry.fields()).ifPresent(read::add);
        }
        return runsweep.problems().count() > before ? Optional.empty() : Optional.of(new AlertSettings(read, webhook));
    }

    private Optional<Alert> alert(String name, Fields f) {
        List<Kind> kinds =
                Stream.of(Kind.values()).filter(k -> f.has(k.thresholdKey())).toList();
        if (kinds.size() != 1) {
            f.problems()
                    .add(
                            f.origin(),
                            f.path(),
                            "set exactly one of " + keys(List.of(Kind.values()))
                                    + (kinds.isEmpty() ? "" : "; got " + keys(kinds)));
            return Optional.empty();
        }
        Kind kind = kinds.get(0);
        int before = f.problems().count();
        Stream.of(Kind.values())
                .map(Kind::subjectKey)
                .distinct()
                .filter(key -> !key.equals(kind.subjectKey()) && f.has(key))
                .forEach(key -> f.reject(
                        f.required(key).orElseThrow(),
                        f.pathOf(key),
                        "does not apply to " + kind.thresholdKey() + ", which watches a " + kind.subjectKey()));
        Optional<String> subject = subject(kind, f);
        Optional<Double> threshold = threshold(kind, f);
        if (f.problems().count() > before) {
            return Optional.empty();
        }
        return Optional.of(
                new Alert(name, kind, subject.orElseThrow(), threshold.orElseThrow(), Origins.format(f.origin())));
    }

    private static String keys(List<Kind> kinds) {
        return kinds.stream().map(Kind::thresholdKey).collect(Collectors.joining(", "));
    }

    private Optional<String> subject(Kind kind, Fields f) {
        String key = kind.subjectKey();
        return switch (key) {
            case "table" -> f.table(key);
            case "stuck" -> existing(f, key, stuckChecks, "stuck check");
            default -> existing(f, key, policies, "policy"); // a job is named after the policy it runs
        };
    }

    private static Optional<String> existing(Fields f, String key, Set<String> known, String noun) {
        return f.string(key)
                .flatMap(name -> known.contains(name)
                        ? Optional.of(name)
                        : f.reject(
                                f.required(key).orElseThrow(),
                                f.pathOf(key),
                                "no " + noun + " named '" + name + "'; "
                                        + (known.isEmpty()
                                                ? "none is configured"
                                                : "configured: "
                                                        + String.join(
                                                                ", ",
                                                                known.stream()
                                                                        .sorted()
                                                                        .toList()))));
    }

    private static Optional<Double> threshold(Kind kind, Fields f) {
        String key = kind.thresholdKey();
        return switch (kind) {
            case TOTAL_SIZE -> f.size(key).map(Long::doubleValue);
            case ROWS, STUCK -> f.count(key, 0).map(Long::doubleValue);
            case DEAD_FRACTION -> f.fraction(key, 0.0, 1.0);
            case OLDEST_AGE, TIME_SINCE_SUCCESS -> f.duration(key, true).map(d -> d.toNanos() / 1e9);
        };
    }

    /** Empty when no URL is set, or when something was bad (the problem is recorded). */
    private static Optional<WebhookSettings> webhook(Fields f) {
        int before = f.problems().count();
        Optional<String> url = f.optionalString("url").flatMap(u -> httpUrl(f, u));
        Optional<String> format = f.choice("format", List.of("generic", "slack"));
        Optional<Duration> timeout = f.duration("timeout", true);
        Optional<Integer> retries = f.whole("retries", 0, MAX_RETRIES);
        if (f.problems().count() > before || url.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WebhookSettings(
                new Secret(url.get()),
                WebhookSettings.Format.valueOf(format.orElseThrow().toUpperCase(Locale.ROOT)),
                timeout.orElseThrow(),
                retries.orElseThrow()));
    }

    /** Never echoes a bad URL whole: its path may be the secret. */
    private static Optional<String> httpUrl(Fields f, String url) {
        ConfigValue value = f.required("url").orElseThrow();
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(url);
            }
        } catch (URISyntaxException e) {
            // reported below, without the URL
        }
        return f.reject(
                value,
                f.pathOf("url"),
                "expected an http:// or https:// URL with a host name"
                        + " (the value is not shown: it may hold a secret)");
    }
}
