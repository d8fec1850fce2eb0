package io.runsweep.sql.postgresql;

import io.runsweep.sql.TableName;
import java.time.Instant;

/**
 * One partition of a range-partitioned table, by its bounds: rows with {@code from <= key < to}.
 *
 * @param from {@link Instant#MIN} for {@code MINVALUE}
 * @param to {@link Instant#MAX} for {@code MAXVALUE}
 * @param detachPending a {@code DETACH ... CONCURRENTLY} was interrupted; only {@code FINALIZE} completes it
 */
public record RangePartition(TableName name, Instant from, Instant to, boolean detachPending) {

    /** True when every row in {@code [start, end)} belongs here. */
    public boolean covers(Instant start, Instant end) {
        return !from.isAfter(start) && !to.isBefore(end);
    }

    public boolean overlaps(Instant start, Instant end) {
        return from.isBefore(end) && to.isAfter(start);
    }
}
