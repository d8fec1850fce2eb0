package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sizing rules, fed measured durations directly: no clock, no database. */
class BatchSizerTest {
    static final Duration TARGET = Duration.ofMillis(200);

    @Test
    void theFirstBatchesGrowToWhatTheirPaceSaysFitsTheTargetAtMostEightfold() {
        BatchSizer sizer = new BatchSizer(1000, 1, 1, TARGET, 10, 1_000_000);
        sizer.measured(Duration.ofMillis(10), 1000, 1000);
        assertEquals(8000, sizer.size(), "the pace says 20,000; eightfold at most");
        sizer.measured(Duration.ofMillis(80), 8000, 8000);
        assertEquals(20_000, sizer.size(), "the pace, not twofold: no batch has taken half the target yet");
        sizer.measured(Duration.ofMillis(5), 20_000, 20_000);
        assertEquals(160_000, sizer.size(), "the pace says 800,000: eightfold at most");
    }

    @Test
    void onceABatchTookHalfTheTargetItGrowsAtMostTwofoldUnlessFarBelowIt() {
        BatchSizer sizer = new BatchSizer(10_000, 1, 1, TARGET, 10, 1_000_000);
        sizer.measured(Duration.ofMillis(120), 10_000, 10_000);
        assertEquals(16_666, sizer.size());
        sizer.measured(Duration.ofMillis(60), 16_666, 16_666);
        assertEquals(33_332, sizer.size(), "an odd fast batch: the pace says 55,553; twofold at most");
        sizer.measured(Duration.ofMillis(40), 33_332, 33_332);
        assertEquals(133_328, sizer.size(), "under a quarter of the target: fourfold");
    }

    @Test
    void shrinksAtMostHalf() {
        BatchSizer sizer = new BatchSizer(1000, 1, 1, TARGET, 10, 50_000);
        sizer.measured(Duration.ofMillis(250), 1000, 1000);
        assertEquals(800, sizer.size());
        sizer.measured(Duration.ofMillis(2000), 800, 800);
        assertEquals(400, sizer.size());
    }

    @Test
    void keepsWithinTheRowBounds() {
        BatchSizer sizer = new BatchSizer(40_000, 1, 1, TARGET, 10, 50_000);
        sizer.measured(Duration.ofMillis(60), 40_000, 40_000);
        assertEquals(50_000, sizer.size());
        BatchSizer small = new BatchSizer(20, 1, 1, TARGET, 10, 50_000);
        small.measured(Duration.ofSeconds(5), 20, 20);
        assertEquals(10, small.size());
    }

    @Test
    void aFixedCostPerBatchStopsTheShrinking() {
        BatchSizer sizer = new BatchSizer(1000, 1, 1, TARGET, 10, 50_000);
        sizer.measured(Duration.ofMillis(430), 1000, 1000);
        assertEquals(500, sizer.size());
        sizer.measured(Duration.ofMillis(400), 500, 500);
        assertEquals(1000, sizer.size());
        sizer.measured(Duration.ofMillis(430), 1000, 1000);
        assertEquals(1000, sizer.size());
    }

    @Test
    void aLittleSmallerBatchThatTookALittleLessIsNoiseNotAFixedCost() {
        BatchSizer sizer = new BatchSizer(6367, 1, 1, TARGET, 10, 50_000);
        sizer.measured(Duration.ofMillis(240), 6367, 6367);
        assertEquals(5305, sizer.size());
        sizer.measured(Duration.ofMillis(216), 5305, 5305);
        assertEquals(4912, sizer.size(), "sized by time, not held at 6,367 as a floor");
        sizer.measured(Duration.ofMillis(200), 4912, 4912);
        assertEquals(4912, sizer.size());
    }

    @Test
    void aRangeIsCappedForTheCaseThatEveryRowInItMatches() {
        // 60 rows per heap block, 1 in 3 matching; rows took 5 us each.
        BatchSizer sizer = new BatchSizer(100, 20, 60, TARGET, 10, 250_000);
        sizer.measured(Duration.ofMillis(10), 2000, 100);
        assertEquals(800, sizer.size(), "by time 2,000 blocks; eightfold at most");
        // Were all 60 rows per block to match, 2 x 200 ms allows 400 ms / (5 us x 60) = 1,333 blocks.
        for (int i = 0; i < 3; i++) {
            sizer.measured(Duration.ofMillis(1), 0, sizer.size());
        }
        assertEquals(1333, sizer.size());
    }

    @Test
    void aRangeWhereFewRowsMatchedSpreadsItsTimeOverAQuarterOfItsRows() {
        // 60 rows per heap block, 1 in 120 matching, among dead rows: reading past them takes 10 us a block.
        BatchSizer sizer = new BatchSizer(1000, 0.5, 60, TARGET, 10, 250_000);
        sizer.measured(Duration.ofMillis(10), 500, 1000);
        assertEquals(8000, sizer.size(), "by time 20,000 blocks; eightfold at most. Not 20 us a row: 333 blocks");
        sizer.measured(Duration.ofMillis(80), 4000, 8000);
        // 80 ms over a quarter of 8,000 x 60 rows, 0.67 us a row: 400 ms / (0.67 us x 60) = 10,000 blocks.
        assertEquals(10_000, sizer.size());
    }

    @Test
    void untilARangeHasMatchedAnyItHoldsAtMostMaxSizeRows() {
        BatchSizer sizer = new BatchSizer(100_000, 0.01, 60, TARGET, 10, 250_000);
        assertEquals(4166, sizer.size(), "250,000 rows / 60 a block");
        sizer.measured(Duration.ofMillis(5), 0, 4166);
        assertEquals(4166, sizer.size());
    }
}
