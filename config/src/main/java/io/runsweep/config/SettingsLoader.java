package io.runsweep.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds {@link Settings} from a user's file, a preset and {@code reference.conf}, checks all of it
 * at once, and renders the result back as HOCON for {@code runsweep config}.
 */
public final class SettingsLoader {
    private SettingsLoader() {}

    /**
     * @param file the user's file; empty for the preset and defaults alone
     * @param env the environment that {@code ${?VAR}} substitutions read; the process's is never consulted
     * @param cronProblem why a cron expression is invalid, or empty when it is valid
     * @throws SettingsException with every problem found, each starting with "file: line"
     */
    public static Settings load(
            Optional<Path> file, Map<String, String> env, Function<String, Optional<String>> cronProblem)
            throws SettingsException {
        Layers layers = Layers.load(file, env);
        Problems problems = new Problems();
        UnknownKeys.check(layers, problems);
        ConfigObject root = layers.merged().getObject("runsweep");
        Fields runsweep = new Fields(root, "runsweep", root.origin(), problems);
        Optional<DatabaseSettings> database = runsweep.object("database").flatMap(DatabaseReader::read);
        Optional<BatchSettings> batch = runsweep.object("batch").flatMap(SettingsLoader::batch);
        Map<String, PolicySettings> policies = policies(layers, runsweep, new PolicyReader(cronProblem));
        Map<String, PartitionSettings> partitions = partitions(layers, runsweep, new PartitionReader(cronProblem));
        Optional<CheckSettings> checks = CheckReader.read(layers, runsweep, cronProblem);
        Optional<AlertSettings> alerts = AlertReader.read(layers, runsweep);
        Optional<DaemonSettings> daemon = DaemonReader.read(runsweep);
        Optional<MaintenanceSettings> maintenance =
                runsweep.object("maintenance").flatMap(m -> MaintenanceReader.read(m, cronProblem));
        Optional<ReviewSettings> review = runsweep.object("review").flatMap(ReviewReader::read);
        Optional<ThrottleSettings> throttle = runsweep.object("throttle").flatMap(ThrottleReader::read);
        Optional<Long> confirmAbove = ThrottleReader.confirmAbove(runsweep);
        layers.prefect()
                .ifPresent(p -> p.problems()
                        .forEach(problem -> problems.add(
                                ConfigOriginFactory.newSimple("environment variable " + problem.variable()),
                                problem.message())));
        problems.throwIfAny();
        return new Settings(
                file,
                layers.presetName(),
                database.orElseThrow(),
                batch.orElseThrow(),
                policies,
                partitions,
                checks.orElseThrow(),
                alerts.orElseThrow(),
                daemon.orElseThrow(),
                maintenance.orElseThrow(),
                review.orElseThrow(),
                throttle.orElseThrow(),
                confirmAbove.orElseThrow(),
                layers.prefect().map(PrefectEnvironment::variables).orElse(List.of()));
    }

    private static Optional<BatchSettings> batch(Fields f) {
        int before = f.problems().count();
        Optional<Duration> target = f.duration("target-duration", true);
        Optional<Duration> pause = f.duration("pause", false);
        Optional<Integer> min = f.whole("min-size", 1, PolicyReader.MAX_BATCH_SIZE);
        Optional<Integer> max = f.whole("max-size", 1, PolicyReader.MAX_BATCH_SIZE);
        Optional<Integer> retries = f.whole("retries", 0, 100);
        Optional<Duration> backoff = f.duration("retry-backoff", false);
        Optional<Boolean> compressWal = f.bool("compress-wal");
        if (f.problems().count() > before) {
            return Optional.empty();
        }
        if (min.orElseThrow() > max.orElseThrow()) {
            return f.reject(
                    f.required("min-size").orElseThrow(),
                    f.pathOf("min-size"),
                    "must not be more than max-size (" + max.orElseThrow() + "), got " + min.orElseThrow());
        }
        return Optional.of(new BatchSettings(
                target.orElseThrow(),
                pause.orElseThrow(),
                min.orElseThrow(),
                max.orElseThrow(),
                retries.orElseThrow(),
                backoff.orElseThrow(),
                compressWal.orElseThrow()));
    }

    /** The settings {@code reference.conf} gives alone: no file, no preset, no environment. */
    public static Settings defaults() {
        try {
            return load(Optional.empty(), Map.of(), cron -> Optional.empty());
        } catch (SettingsException e) {
            throw new IllegalStateException("reference.conf is invalid: " + e.problems(), e);
        }
    }

    /** The effective configuration as HOCON, with every password masked. */
    public static String renderEffective(Settings settings) {
        return EffectiveConfig.render(settings);
    }

    private static Map<String, PolicySettings> policies(Layers layers, Fields runsweep, PolicyReader reader) {
        runsweep.object("policy-defaults").ifPresent(reader::readDefaults);
        return NamedEntries.readAll(layers, runsweep, "policies", "policy", reader::read);
    }

    private static Map<String, PartitionSettings> partitions(Layers layers, Fields runsweep, PartitionReader reader) {
        runsweep.object("partition-defaults").ifPresent(reader::readDefaults);
        return NamedEntries.readAll(layers, runsweep, "partitions", "partition set", reader::read);
    }
}
