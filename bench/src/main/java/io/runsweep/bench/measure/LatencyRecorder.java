package io.runsweep.bench.measure;

import java.util.Arrays;

/**
 * Latencies appended by the thread that measures them, read by another when it is done; each with when it began
 * ({@link System#nanoTime}), to place it in what a method was doing then.
 */
public final class LatencyRecorder {
    private long[] began = new long[256];
    private long[] took = new long[256];
    private int size;

    public synchronized void add(long beganNanos, long tookNanos) {
        if (size == took.length) {
            began = Arrays.copyOf(began, size * 2);
            took = Arrays.copyOf(took, size * 2);
        }
        began[size] = beganNanos;
        took[size++] = tookNanos;
    }

    public synchronized Latencies latencies() {
        return Latencies.of(Arrays.copyOf(took, size));
    }

    /** Each latency in the engine's step it began in. */
    public synchronized WritesByStep placed(EngineSteps steps) {
        return WritesByStep.place(steps, Arrays.copyOf(began, size), Arrays.copyOf(took, size));
    }
}
