package io.runsweep.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One retention policy: which rows of one table expire, and what goes with them.
 *
 * <p>A row matches when {@code timeColumn < now - olderThan} (or, where the time column is NULL and a
 * fallback is set, {@code timeColumnFallback < now - olderThan}), its status column (if any) holds one
 * of the listed values, every column in {@code whereNull} is NULL, and no row of an
 * {@code unreferencedBy} table refers to it. A NULL time never matches.
 *
 * @param name the key under {@code runsweep.policies}
 * @param table a table name, optionally schema-qualified ({@code public.flow_run}); validated, not yet quoted
 * @param keyColumn the column that dependents reference; empty means the table's primary key
 * @param dependents tables without a foreign key whose rows reference this table's key and are deleted in the same batch
 * @param batchSize rows in the first batch; later batches adapt to {@code runsweep.batch.target-duration}
 * @param strategy how batches find their rows
 * @param schedule a Quartz cron expression, used by the daemon
 * @param location "file: line" where the policy is defined, for messages that point the user at it
 * @param archive where a copy of every deleted row goes, if anywhere
 * @param overrides shorter retention for some values of one column
 * @param missingParents only rows whose column names a row that no longer exists (orphans)
 */
public record PolicySettings(
        String name,
        String table,
        String timeColumn,
        Optional<String> timeColumnFallback,
        Duration olderThan,
        Optional<StatusFilter> statuses,
        List<String> whereNull,
        List<TableColumn> unreferencedBy,
        Optional<String> keyColumn,
        List<TableColumn> dependents,
        int batchSize,
        RunLimits limits,
        Strategy strategy,
        boolean enabled,
        String schedule,
        String location,
        ArchiveSettings archive,
        RetentionOverrides overrides,
        List<MissingParent> missingParents) {

    public PolicySettings {
        whereNull = List.copyOf(whereNull);
        unreferencedBy = List.copyOf(unreferencedBy);
        dependents = List.copyOf(dependents);
        missingParents = List.copyOf(missingParents);
    }

    /** A policy that archives nothing, has no retention overrides and no orphan condition. */
    public PolicySettings(
            String name,
            String table,
            String timeColumn,
            Optional<String> timeColumnFallback,
            Duration olderThan,
            Optional<StatusFilter> statuses,
            List<String> whereNull,
            List<TableColumn> unreferencedBy,
            Optional<String> keyColumn,
            List<TableColumn> dependents,
            int batchSize,
            RunLimits limits,
            Strategy strategy,
            boolean enabled,
            String schedule,
            String location) {
        this(
                name,
                table,
                timeColumn,
                timeColumnFallback,
                olderThan,
                statuses,
                whereNull,
                unreferencedBy,
                keyColumn,
                dependents,
                batchSize,
                limits,
                strategy,
                enabled,
                schedule,
                location,
                ArchiveSettings.NONE,
                RetentionOverrides.NONE,
                List.of());
    }

    /** The same policy with another age, as {@code sweep --older-than} gives it. */
    public PolicySettings withOlderThan(Duration age) {
        return new PolicySettings(
                name,
                table,
                timeColumn,
                timeColumnFallback,
                age,
                statuses,
                whereNull,
                unreferencedBy,
                keyColumn,
                dependents,
                batchSize,
                limits,
                strategy,
                enabled,
                schedule,
                location,
                archive,
                overrides,
                missingParents);
    }

    /**
     * The policies one run of this one consists of: for each retention override shorter than {@code olderThan},
     * a policy of the rows holding that value at the override's age (named {@code name[value]}), then this one.
     */
    public List<PolicySettings> withOverridesExpanded() {
        List<PolicySettings> all = new java.util.ArrayList<>();
        overrides.olderThan().forEach((value, age) -> {
            if (age.compareTo(olderThan) < 0) {
                all.add(overridePolicy(value, age));
            }
        });
        all.add(this);
        return all;
    }

    private PolicySettings overridePolicy(String value, Duration age) {
        return new PolicySettings(
                name + "[" + value + "]",
                table,
                timeColumn,
                timeColumnFallback,
                age,
                Optional.of(new StatusFilter(overrides.column().orElseThrow(), List.of(value))),
                whereNull,
                unreferencedBy,
                keyColumn,
                dependents,
                batchSize,
                limits,
                strategy,
                enabled,
                schedule,
                location,
                archive,
                RetentionOverrides.NONE,
                missingParents);
    }

    /**
     * Rows whose {@code column} is not NULL and names no row of {@code table} (by its {@code key}): what a
     * deleted parent left behind.
     */
    public record MissingParent(String column, String table, String key) {}

    /**
     * Rows whose status column holds one of {@code values}.
     *
     * @param values each a {@code String} or a {@code Long}, as written in the configuration
     */
    public record StatusFilter(String column, List<Object> values) {
        public StatusFilter {
            values = List.copyOf(values);
        }
    }

    /** How batches find their rows, as configured: chosen per run from the table's figures, or fixed. */
    public enum Strategy {
        AUTO("auto"),
        INDEX("index"),
        BLOCK_RANGE("block-range");

        private final String configName;

        Strategy(String configName) {
            this.configName = configName;
        }

        /** As the configuration writes it. */
        public String configName() {
            return configName;
        }

        public static Strategy of(String configName) {
            for (Strategy strategy : values()) {
                if (strategy.configName.equals(configName)) {
                    return strategy;
                }
            }
            throw new IllegalArgumentException("not a strategy: " + configName);
        }
    }

    /** A column of another table that holds the key of the policy's rows. */
    public record TableColumn(String table, String column) {}

    /**
     * Bounds on one run of a policy, and what its guards may let through. A run that stops at a bound says how
     * many rows remain, and the next run carries on.
     *
     * @param maxRows rows to delete from the policy's table in one run; 0 = no bound
     * @param maxRuntime time one run may take; zero = no bound
     * @param maxFraction the share of each table it reaches that a run may delete before it refuses, unless allowed
     * @param allowLargeUntil until when runs may do what the guard refuses as almost surely a mistake (more than
     *     max-fraction, a whole table, a cutoff later than the database's clock, times that read as before 2000)
     * @param allowCascadeConflicts whether the policy's cascades may delete rows another policy keeps
     */
    public record RunLimits(
            long maxRows,
            Duration maxRuntime,
            double maxFraction,
            Optional<Instant> allowLargeUntil,
            boolean allowCascadeConflicts) {
        public static final RunLimits NONE = new RunLimits(0, Duration.ZERO, 1.0);

        /** Bounds alone, with every guard in force. */
        public RunLimits(long maxRows, Duration maxRuntime, double maxFraction) {
            this(maxRows, maxRuntime, maxFraction, Optional.empty(), false);
        }

        /** Whether a run starting at {@code now} may do what the guard would refuse. */
        public boolean largeAllowedAt(Instant now) {
            return allowLargeUntil.isPresent() && now.isBefore(allowLargeUntil.get());
        }
    }
}
