package io.runsweep.config;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * One partition set: a table partitioned by range on a time column, whose partitions Runsweep makes ahead
 * of time and expires by whole intervals.
 *
 * @param name the key under {@code runsweep.partitions}
 * @param table the partitioned table, optionally schema-qualified; validated, not yet quoted
 * @param column the partition key column, checked against the table's own key before anything runs
 * @param premake future partitions kept ready after the current interval's
 * @param retention how long partitions are kept: whole intervals before the current one, or an age
 * @param archiveSchema where {@link OnExpire#ARCHIVE} moves expired partitions
 * @param lockAttempts tries per DDL statement when it times out waiting for a lock
 * @param lockBackoff the wait before the second try, doubled before each next one
 * @param schedule a Quartz cron expression, used by the daemon
 * @param location "file: line" where the set is defined, for messages
 */
public record PartitionSettings(
        String name,
        String table,
        String column,
        Interval interval,
        int premake,
        Retention retention,
        OnExpire onExpire,
        String archiveSchema,
        int lockAttempts,
        Duration lockBackoff,
        boolean enabled,
        String schedule,
        String location) {

    /** A set that keeps {@code retention} whole intervals before the current one. */
    public PartitionSettings(
            String name,
            String table,
            String column,
            Interval interval,
            int premake,
            int retention,
            OnExpire onExpire,
            String archiveSchema,
            int lockAttempts,
            Duration lockBackoff,
            boolean enabled,
            String schedule,
            String location) {
        this(
                name,
                table,
                column,
                interval,
                premake,
                new Retention.Intervals(retention),
                onExpire,
                archiveSchema,
                lockAttempts,
                lockBackoff,
                enabled,
                schedule,
                location);
    }

    /** How long a set keeps its partitions. */
    public sealed interface Retention {
        /** As the configuration writes it: {@code 6}, {@code "3 months"}, {@code 90d}. */
        String shown();

        /** Whole intervals kept before the current one. */
        record Intervals(int count) implements Retention {
            @Override
            public String shown() {
                return String.valueOf(count);
            }
        }

        /**
         * An age, as pg_partman takes it: a partition expires once its end is at or before now minus the age.
         * Months and years are calendar months and years, in UTC.
         */
        record Age(Period period, Duration duration, String shown) implements Retention {
            public Instant before(Instant now) {
                return now.atZone(ZoneOffset.UTC).minus(period).toInstant().minus(duration);
            }
        }
    }

    /** How much time one partition covers, in UTC. Weeks run Monday to Monday. */
    public enum Interval {
        DAILY,
        WEEKLY,
        MONTHLY;

        /** As written in the configuration: {@code daily}, {@code weekly}, {@code monthly}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What becomes of a partition past its retention. */
    public enum OnExpire {
        /** Detached, then dropped. */
        DROP,
        /** Detached and left as a plain table beside the parent. */
        DETACH,
        /** Detached, then moved to the archive schema. */
        ARCHIVE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
