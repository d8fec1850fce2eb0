package io.runsweep.sql;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A table's numbers as the database keeps them: the bytes it takes, its rows, and on PostgreSQL its dead
 * rows and upkeep. {@code totalBytes = tableBytes + indexBytes + toastBytes}.
 *
 * @param tableBytes the table's own storage (PostgreSQL: the heap with its free-space and visibility maps)
 * @param indexBytes every index of the table
 * @param toastBytes PostgreSQL's out-of-line storage of large values, with its index; 0 on SQLite
 * @param rows empty when unknown: PostgreSQL has no estimate before the table is first analyzed
 * @param rowsExact whether {@code rows} was counted rather than estimated
 * @param upkeep dead rows and the last vacuum and analyze; empty where the database keeps no such statistics
 */
public record TableStats(
        long totalBytes,
        long tableBytes,
        long indexBytes,
        long toastBytes,
        OptionalLong rows,
        boolean rowsExact,
        Optional<Upkeep> upkeep) {

    /**
     * What PostgreSQL's statistics say of a table's dead rows and upkeep ({@code pg_stat_user_tables}). The
     * counts are the server's running tallies, not a scan: a DELETE adds its rows to {@code deadRows} until
     * VACUUM removes them.
     */
    public record Upkeep(
            long liveRows,
            long deadRows,
            Optional<Instant> lastVacuum,
            Optional<Instant> lastAutovacuum,
            Optional<Instant> lastAnalyze,
            Optional<Instant> lastAutoanalyze) {

        /** The later of the last manual and the last automatic VACUUM. */
        public Optional<Instant> lastVacuumed() {
            return Stream.of(lastVacuum, lastAutovacuum)
                    .flatMap(Optional::stream)
                    .max(Instant::compareTo);
        }

        /** Dead rows as a share of all rows, live and dead; 0 for an empty table. */
        public double deadFraction() {
            long all = liveRows + deadRows;
            return all == 0 ? 0.0 : (double) deadRows / all;
        }
    }

    /** Live rows as the statistics count them, 0 where there are none. */
    public long liveRows() {
        return upkeep.map(Upkeep::liveRows).orElse(rows.orElse(0));
    }

    /** Dead rows awaiting VACUUM, 0 where the database keeps no count. */
    public long deadRows() {
        return upkeep.map(Upkeep::deadRows).orElse(0L);
    }

    public double deadFraction() {
        return upkeep.map(Upkeep::deadFraction).orElse(0.0);
    }
}
