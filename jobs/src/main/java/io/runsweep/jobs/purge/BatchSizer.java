package io.runsweep.jobs.purge;

import java.time.Duration;

/**
 * Sizes batches so that each takes about the target duration. A size counts rows (index batches) or
 * range units (heap blocks, rowids); from what the last batch deleted it knows rows per unit, so the
 * row bounds hold either way. Once a batch has taken half the target it never more than doubles or halves
 * at once (quadruples while a batch takes under a quarter of the target), so one odd batch (a cache miss, a
 * checkpoint) cannot swing the next far. Before that, the first, cautious batches grow to what their pace
 * says fits the target, up to eightfold: each batch costs the same fixed part (a commit, a pause for the
 * writers, on SQLite a checkpoint), so small batches' pace underrates how many rows fit, and one more batch on
 * the way up costs more than the batch is worth (SQLite at 50,000 rows: 1,000, 4,000 and 16,000 rows up to
 * fourfold, five batches in all; 1,000, 8,000, then the target, four). A range where not every row matches is
 * also kept small enough that, were every row in it to match, it would still take no more than twice the target:
 * ranges that matched nothing must not grow into one that takes seconds where the matching rows begin. A range's
 * time is spread over a quarter of its rows at least for that, and until a range has matched any, a range may
 * hold at most max-size rows, were every row to match. When a smaller batch took
 * nearly as long as a much larger one, the time is a fixed cost per batch (a dependent table with no index
 * to find its rows, say); shrinking further would only multiply it, so the larger size becomes a floor.
 */
final class BatchSizer {
    /**
     * How much smaller a batch must be for "took nearly as long" to mean a fixed cost: at 60% of the rows, three
     * quarters of the time means the fixed part is over half the per-row part. A batch a little smaller that took
     * a little less is noise (SQLite beside a writer: 5,246 rows in 177 ms after 6,367 in 197 ms), and taking that
     * for a fixed cost held every later batch at 6,367 rows, 140 to 260 ms against a 150 ms aim.
     */
    private static final double FIXED_COST_SHRINK = 0.6;

    /**
     * The least share of a range's rows its time is spread over to say how long a matching row takes. Where fewer
     * matched, the time is mostly reading past the others, dead rows among them. On a Prefect {@code log} table
     * right after its runs' 147,000 logs were deleted, with no VACUUM since, a range of 9,857 blocks took 216 ms for
     * its 43 matching rows, and 5 ms a row held every range after it to one block: 8,170 batches for 14,308 rows
     * (1.9 s). Spread over a quarter of its rows, the same sweep of an identical copy took 6 (0.31 s). Where each
     * row is heavy (many dependents) yet few match, this understates a row's time: the range that reaches where
     * they all match can take more than twice the target (a run table, 1 in 20 matching and then all, 80 dependent
     * rows each: 399 ms at most against 218 ms, in 7 batches against 20).
     */
    private static final double LEAST_SHARE_TIMED = 0.25;

    private final long targetNanos;
    private final int minRows;
    private final int maxRows;
    private final double rowsPerUnitAtMost;
    private double rowsPerUnit;
    private double nanosPerRow;
    private long size;
    private long floor = 1;
    private long lastSize;
    private long lastNanos;
    /** Until a batch takes half the target. */
    private boolean rampingUp = true;

    /**
     * @param rowsPerUnit matching rows per unit expected at first
     * @param rowsPerUnitAtMost all rows per unit: 1 for rows and rowids, rows per block for heap blocks
     */
    BatchSizer(
            long initialSize, double rowsPerUnit, double rowsPerUnitAtMost, Duration target, int minRows, int maxRows) {
        this.targetNanos = Math.max(1, target.toNanos());
        this.minRows = minRows;
        this.maxRows = maxRows;
        this.rowsPerUnit = rowsPerUnit > 0 ? rowsPerUnit : 1;
        this.rowsPerUnitAtMost = Math.max(rowsPerUnitAtMost, this.rowsPerUnit);
        this.size = clamp(initialSize);
    }

    long size() {
        return size;
    }

    void measured(Duration took, long rowsDeleted, long unitsCovered) {
        if (rowsDeleted > 0 && unitsCovered > 0) {
            rowsPerUnit = (double) rowsDeleted / unitsCovered;
            nanosPerRow = took.toNanos() / Math.max(rowsDeleted, LEAST_SHARE_TIMED * unitsCovered * rowsPerUnitAtMost);
        }
        if (size <= FIXED_COST_SHRINK * lastSize
                && took.toNanos() > 0.75 * lastNanos
                && took.toNanos() < 1.25 * lastNanos) {
            floor = lastSize;
        }
        lastSize = size;
        lastNanos = took.toNanos();
        double byTime = (double) size * targetNanos / Math.max(took.toNanos(), 1_000_000L);
        rampingUp &= took.toNanos() < targetNanos / 2;
        // Far below the target, growing fourfold (eightfold on the way up) reaches it in fewer commits.
        double most = rampingUp ? size * 8.0 : took.toNanos() < targetNanos / 4 ? size * 4.0 : size * 2.0;
        long next = (long) Math.min(Math.max(byTime, size / 2.0), most);
        size = clamp(Math.max(next, floor));
    }

    /** After a failed attempt: half the work, so a batch that timed out has a better chance. */
    void shrink() {
        size = clamp(Math.max(size / 2, 1));
    }

    private long clamp(long units) {
        long most = Math.max(1, (long) (maxRows / rowsPerUnit));
        if (rowsPerUnitAtMost > rowsPerUnit) {
            long ifEveryRowMatched = nanosPerRow > 0
                    ? (long) (2 * targetNanos / (nanosPerRow * rowsPerUnitAtMost))
                    : (long) (maxRows / rowsPerUnitAtMost);
            most = Math.min(most, Math.max(1, ifEveryRowMatched));
        }
        long least = Math.min(most, Math.max(1, (long) Math.ceil(minRows / rowsPerUnit)));
        return Math.min(Math.max(units, least), most);
    }
}
