package io.runsweep.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Several runs of a method as one result: the median run, the worst transaction, pooled waits, and disagreement. */
class MethodResultTest {
    static final RowDigest LEFT = RowDigest.EMPTY.plus("a");

    @Test
    void theMedianRunGivesTimeAndCountsTheWorstRunGivesTransactionAndTheWaitsArePooled() {
        MethodResult combined = MethodResult.combine(List.of(
                run(900, 40, 12, 30, 1, 2_000_000),
                run(300, 80, 10, 20, 0, 3_000_000),
                run(500, 60, 11, 90, 2, 1_000_000)));

        assertEquals(Duration.ofMillis(500), combined.time());
        assertEquals(
                List.of(Duration.ofMillis(900), Duration.ofMillis(300), Duration.ofMillis(500)), combined.runTimes());
        assertEquals(11, combined.transactions());
        assertEquals(new MethodResult.Longest(Duration.ofMillis(80), 10, 10), combined.longest());
        WriterStats writer = combined.writer().orElseThrow();
        assertEquals(3, writer.inserts());
        assertEquals(Duration.ofMillis(90), writer.longestWait());
        assertEquals(Duration.ofMillis(30), writer.waits().p50());
        assertEquals(3, writer.failures());
        assertEquals(Optional.of("locked"), writer.firstError());
        assertEquals(3_000_000L << 20, writer.logPeakBytes(), "the largest log of any run");
        assertEquals(1, writer.unwaited().count(), "the runs' inserts that found the lock free, pooled");
        assertEquals(Duration.ofMillis(20), writer.unwaited().max());
        assertEquals(3_000_000, combined.heap().orElseThrow().peakUsedBytes());
        assertEquals(Optional.empty(), combined.error());
    }

    @Test
    void anEvenCountTakesTheLowerMiddleRun() {
        MethodResult combined = MethodResult.combine(List.of(run(400, 1, 1, 1, 0, 1), run(200, 1, 2, 1, 0, 1)));
        assertEquals(Duration.ofMillis(200), combined.time());
        assertEquals(2, combined.transactions());
    }

    @Test
    void runsThatLeaveDifferentRowsAreAnError() {
        MethodResult other = MethodResult.single(
                Method.ENGINE,
                Duration.ofMillis(10),
                4,
                1,
                new MethodResult.Longest(Duration.ofMillis(10), 1, 1),
                new TimeSpent(Duration.ofMillis(10), Duration.ZERO, Duration.ZERO),
                RowDigest.EMPTY.plus("b"),
                Optional.empty(),
                Optional.empty());
        MethodResult combined = MethodResult.combine(List.of(run(10, 10, 1, 1, 0, 1), other));
        assertEquals(
                Optional.of("run 2 of 2 deleted 4 rows and left "
                        + RowDigest.EMPTY.plus("b").text() + ", run 1 deleted 4 and left " + LEFT.text()),
                combined.error());
    }

    private static MethodResult run(
            long millis, long longestMillis, int transactions, long waitMillis, long failures, long peakHeap) {
        WriterStats writer = new WriterStats(
                Latencies.of(new long[] {waitMillis * 1_000_000}),
                failures,
                failures > 0 ? Optional.of("locked") : Optional.empty(),
                peakHeap << 20,
                Latencies.of(failures > 0 ? new long[0] : new long[] {waitMillis * 1_000_000}));
        return MethodResult.single(
                        Method.ENGINE,
                        Duration.ofMillis(millis),
                        4,
                        transactions,
                        new MethodResult.Longest(Duration.ofMillis(longestMillis), transactions, transactions),
                        new TimeSpent(Duration.ofMillis(millis / 2), Duration.ZERO, Duration.ZERO),
                        LEFT,
                        Optional.empty(),
                        Optional.of(new HeapPeak(1, peakHeap, OptionalLong.empty(), 0, 0)))
                .withWriter(writer);
    }
}
