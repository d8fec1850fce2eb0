package io.runsweep.bench;

import io.runsweep.bench.measure.BenchPolicy;
import io.runsweep.bench.measure.Engine;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The engine exactly as {@code runsweep sweep} runs a policy: the policy written as a configuration file
 * and read by the same loader (so every default in reference.conf applies: batch sizing, bounds,
 * strategy), the database opened with the same options, and the policy run by {@link Sweep}.
 */
final class SweepEngine implements Engine {
    private final Optional<Duration> targetDuration;
    private final OptionalInt poolSize;
    private final boolean compressWal;

    /**
     * @param targetDuration replaces reference.conf's runsweep.batch.target-duration, when present
     * @param poolSize replaces reference.conf's runsweep.database.pool-size, when present
     * @param compressWal runsweep.batch.compress-wal (reference.conf's: true)
     */
    SweepEngine(Optional<Duration> targetDuration, OptionalInt poolSize, boolean compressWal) {
        this.targetDuration = targetDuration;
        this.poolSize = poolSize;
        this.compressWal = compressWal;
    }

    @Override
    public Ready prepare(DatabaseUrl url, BenchPolicy policy) throws Exception {
        Settings settings = settings(config(policy, targetDuration, poolSize, compressWal));
        PolicySettings selected = settings.policies().get(policy.name());
        Database database = Databases.open(url, Connections.options(settings.database(), false));
        // One connection made and pooled, as the other methods find theirs.
        database.connection().close();
        return new Ready() {
            @Override
            public PolicyReport run(Instant now, PurgeProgress progress) {
                // The sweep's clock reads `now` at its start, so its cutoff is the one the other methods used.
                Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now));
                RunOptions options = new RunOptions(settings.database().lockTimeout(), settings.batch(), false);
                return new Sweep(database, options, clock, new StopSignal())
                        .run(List.of(selected), false, progress)
                        .policies()
                        .get(0);
            }

            @Override
            public void close() {
                database.close();
            }
        };
    }

    /**
     * No environment variables: the bench's policy and reference.conf's defaults, nothing of the user's. The
     * policy has no schedule to check.
     */
    private static Settings settings(String config) throws Exception {
        Path file = Files.createTempFile("runsweep-bench-", ".conf");
        try {
            Files.writeString(file, config);
            return SettingsLoader.load(Optional.of(file), Map.of(), cron -> Optional.empty());
        } finally {
            Files.delete(file);
        }
    }

    static String config(
            BenchPolicy policy, Optional<Duration> targetDuration, OptionalInt poolSize, boolean compressWal) {
        StringBuilder conf = new StringBuilder();
        if (!compressWal) {
            conf.append("runsweep.batch.compress-wal = false\n");
        }
        poolSize.ifPresent(size ->
                conf.append("runsweep.database.pool-size = ").append(size).append('\n'));
        targetDuration.ifPresent(d -> conf.append("runsweep.batch.target-duration = ")
                .append(d.toMillis())
                .append("ms\n"));
        conf.append("runsweep.policies.")
                .append(policy.name())
                .append(" {\n")
                .append("  table = \"")
                .append(policy.table())
                .append("\"\n")
                .append("  time-column = \"")
                .append(policy.timeColumn())
                .append("\"\n")
                .append("  older-than = ")
                .append(policy.olderThan().toMillis())
                .append("ms\n");
        policy.statusColumn()
                .ifPresent(column -> conf.append("  statuses { column = \"")
                        .append(column)
                        .append("\", values = [")
                        .append(policy.statusValues().stream()
                                .map(String::valueOf)
                                .collect(Collectors.joining(", ")))
                        .append("] }\n"));
        return conf.append("}\n").toString();
    }
}
