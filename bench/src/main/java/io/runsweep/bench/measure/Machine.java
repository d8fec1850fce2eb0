package io.runsweep.bench.measure;

import java.lang.management.ManagementFactory;

/**
 * Where a bench runs, as it starts.
 *
 * @param cores processors the JVM sees
 * @param loadAtStart the system's load average over the last minute (negative when the system does not
 *     tell): on a shared machine, how much else was running
 * @param maxHeapBytes the JVM's heap limit
 */
public record Machine(int cores, double loadAtStart, String os, String java, long maxHeapBytes) {

    public static Machine now() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory());
    }

    /** The system's load average now: runnable processes over the last minute. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
