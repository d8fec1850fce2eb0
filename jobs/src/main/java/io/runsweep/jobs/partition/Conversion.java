package io.runsweep.jobs.partition;

import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.ConversionFacts;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One table's conversion to range partitions: the facts read from it and the choices made for it.
 *
 * @param now when the plan is printed; the copy is split at the start of its day (see {@link #cutover()})
 */
record Conversion(ConversionFacts facts, Interval interval, int premake, Duration lockTimeout, Instant now) {

    TableName source() {
        return facts.table().name();
    }

    /** The new table, until the swap gives it the source's name. */
    TableName target() {
        return sibling("_partitioned");
    }

    /** What the source is called after the swap. */
    TableName old() {
        return sibling("_unpartitioned");
    }

    /**
     * Rows from here on are copied inside the swap, under its lock, with whatever is written meanwhile;
     * everything older is copied before it, in batches.
     */
    Instant cutover() {
        return now.truncatedTo(ChronoUnit.DAYS);
    }

    /** The key of a unique index or primary key made valid for a partitioned table: the partition key added. */
    List<String> withKey(List<String> columns) {
        List<String> all = new ArrayList<>(columns);
        all.add(facts.key().name());
        return all;
    }

    boolean includesKey(ConversionFacts.Index index) {
        return index.columns().contains(facts.key().name());
    }

    /** From the interval of the oldest row to {@code premake} intervals past the newest row's, or now's. */
    List<Instant> partitionStarts() {
        Instant current = Intervals.start(interval, now);
        Instant first = facts.minKey().map(k -> Intervals.start(interval, k)).orElse(current);
        Instant newest = facts.maxKey()
                .map(k -> Intervals.start(interval, k))
                .filter(k -> k.isAfter(current))
                .orElse(current);
        Instant last = Intervals.plus(interval, newest, premake);
        List<Instant> starts = new ArrayList<>();
        for (Instant start = first; !start.isAfter(last); start = Intervals.plus(interval, start, 1)) {
            starts.add(start);
        }
        return starts;
    }

    private TableName sibling(String suffix) {
        return new TableName(source().schema(), source().name() + suffix);
    }
}
