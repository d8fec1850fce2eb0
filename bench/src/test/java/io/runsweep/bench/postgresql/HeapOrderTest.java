package io.runsweep.bench.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The interleaved order places every row exactly once, and mixes old and new rows in every block. */
class HeapOrderTest {
    @Test
    void everyRowIsPlacedOnceAndEveryBlockHoldsOldAndNewRows() {
        for (long rows : new long[] {1000, 20_000, 1_000_000, 1_000_003}) {
            HeapOrder order = HeapOrder.interleaved(rows);
            BitSet placed = new BitSet();
            long blocksWithBoth = 0;
            long blocks = 0;
            // 14 rows a block, as the bench's rows fill an 8 kB heap page; the oldest 70% expire.
            for (long first = 0; first < rows; first += 14) {
                boolean old = false;
                boolean recent = false;
                for (long p = first; p < Math.min(first + 14, rows); p++) {
                    long row = p * order.stride() % rows;
                    assertTrue(!placed.get((int) row), "row " + row + " placed twice");
                    placed.set((int) row);
                    old |= row < rows * 7 / 10;
                    recent |= row >= rows * 7 / 10;
                }
                blocks++;
                blocksWithBoth += old && recent ? 1 : 0;
            }
            assertEquals(rows, placed.cardinality());
            assertTrue(blocksWithBoth > blocks * 9 / 10, blocksWithBoth + " of " + blocks + " blocks mixed");
        }
    }

    @Test
    void theOrderedHeapIsTheIdentityAndAStrideMustShareNoFactorWithTheRows() {
        assertEquals(new HeapOrder(1000, 1), HeapOrder.ordered(1000));
        assertThrows(IllegalArgumentException.class, () -> new HeapOrder(1000, 10));
    }
}
