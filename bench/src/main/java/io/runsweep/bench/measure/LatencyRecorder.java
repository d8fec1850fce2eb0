package io.runsweep.bench.measure;

import java.util.Arrays;

/** Latencies appended by the thread that measures them, read by another when it is done. */
public final class LatencyRecorder {
    private long[] nanos = new long[256];
    private int size;

    public synchronized void add(long value) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = value;
    }

    public synchronized Latencies latencies() {
        return Latencies.of(Arrays.copyOf(nanos, size));
    }
}
