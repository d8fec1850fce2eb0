package io.runsweep.jobs.purge;

import io.runsweep.config.PolicySettings;
import io.runsweep.sql.ScanRange;
import java.util.Locale;

/**
 * Picks how batches find their rows, from the planner's estimates, and says why in words a dry run
 * can print. Sweeping ranges reads the whole table once, which pays when much of it goes or when no
 * index serves the predicate (each index batch would then rescan the table); index batches read only
 * what goes, which wins when little does.
 */
record StrategyChoice(PurgePlan.Strategy strategy, String reason) {
    /** Above this share of the table, one pass over it costs less than finding the rows through an index. */
    static final double RANGE_ABOVE = 0.10;
    /** Why block ranges, after the share of the table that matches. */
    private static final String ABOVE_LINE = ": above 10%, one pass over the table beats index lookups";
    /** Below this many rows, where a batch finds its rows hardly matters. */
    static final long SMALL_TABLE = 10_000;

    /** The most matching rows that still make index lookups the choice: 10% of the table's rows. */
    static long rangeLine(ScanRange range) {
        return (long) (RANGE_ABOVE * range.rows());
    }

    /**
     * This choice, made from a count because the {@code changed} rows since the table's statistics were gathered
     * could have left 10% or fewer matching where they {@code estimated} more.
     */
    StrategyChoice countedSince(long changed, long estimated) {
        return new StrategyChoice(strategy, statisticsBehind(changed, estimated) + reason);
    }

    /** Block ranges, a count having found more than 10% matching where the statistics may be behind. */
    static StrategyChoice countedAboveLine(ScanRange range, long changed, long estimated) {
        return new StrategyChoice(
                PurgePlan.Strategy.RANGE,
                statisticsBehind(changed, estimated)
                        + String.format(
                                Locale.ROOT,
                                "more than %,d of about %,d rows (10%%) match",
                                rangeLine(range),
                                range.rows())
                        + ABOVE_LINE);
    }

    private static String statisticsBehind(long changed, long estimated) {
        return String.format(
                Locale.ROOT,
                "counted, as %,d rows changed since the table's statistics were gathered (they estimated %,d"
                        + " matching); ",
                changed,
                estimated);
    }

    static StrategyChoice choose(
            PolicySettings.Strategy configured,
            ScanRange range,
            long matching,
            boolean rangesSupported,
            boolean rangesPayForLargeShares,
            boolean noIndex) {
        double fraction = range.rows() == 0 ? 0 : (double) matching / range.rows();
        String share = String.format(
                Locale.ROOT, "about %,d of %,d rows (%.1f%%) match", matching, range.rows(), 100 * fraction);
        if (configured == PolicySettings.Strategy.INDEX) {
            return new StrategyChoice(PurgePlan.Strategy.INDEX, "configured (strategy = index); " + share);
        }
        if (!rangesSupported) {
            return new StrategyChoice(
                    PurgePlan.Strategy.INDEX, "this server has no TID range scans (PostgreSQL 14+);" + " " + share);
        }
        if (configured == PolicySettings.Strategy.BLOCK_RANGE) {
            return new StrategyChoice(PurgePlan.Strategy.RANGE, "configured (strategy = block-range); " + share);
        }
        if (noIndex) {
            return new StrategyChoice(
                    PurgePlan.Strategy.RANGE,
                    share + ", and no index serves the predicate, so"
                            + " one pass over the table beats a scan per batch");
        }
        if (!rangesPayForLargeShares) {
            return new StrategyChoice(
                    PurgePlan.Strategy.INDEX,
                    share + "; this database frees deleted rows at once, so"
                            + " index lookups stay cheap however much goes");
        }
        return fraction > RANGE_ABOVE
                ? new StrategyChoice(PurgePlan.Strategy.RANGE, share + ABOVE_LINE)
                : new StrategyChoice(
                        PurgePlan.Strategy.INDEX,
                        share + ": at most 10%, index lookups read less than a pass over the table");
    }
}
