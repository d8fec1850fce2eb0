package io.runsweep.config;

import java.time.Duration;
import java.util.Locale;

/**
 * One partition set: a table partitioned by range on a time column, whose partitions Runsweep makes ahead
 * of time and expires by whole intervals.
 *
 * @param name the key under {@code runsweep.partitions}
 * @param table the partitioned table, optionally schema-qualified; validated, not yet quoted
 * @param column the partition key column, checked against the table's own key before anything runs
 * @param premake future partitions kept ready after the current interval's
 * @param retention whole intervals kept before the current one; older partitions expire
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
        int retention,
        OnExpire onExpire,
        String archiveSchema,
        int lockAttempts,
        Duration lockBackoff,
        boolean enabled,
        String schedule,
        String location) {

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
