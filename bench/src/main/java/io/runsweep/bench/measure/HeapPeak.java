package io.runsweep.bench.measure;

import java.util.OptionalLong;

/**
 * The Java heap while the engine ran.
 *
 * @param startBytes in use when it started, right after a collection: what the program held before
 * @param peakUsedBytes the most heap in use, garbage included: sampled every few milliseconds and read
 *     just before each collection
 * @param peakLiveBytes the most heap still in use right after a collection: what the engine really held;
 *     empty when no collection happened during the run
 * @param collections garbage collections during the run
 * @param allocatedBytes what the thread that ran the engine allocated meanwhile, garbage included: with no
 *     collection, the peak is at most {@code startBytes} plus this
 */
public record HeapPeak(
        long startBytes, long peakUsedBytes, OptionalLong peakLiveBytes, long collections, long allocatedBytes) {}
