package io.runsweep.jobs.bench;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * A whole bench run.
 *
 * @param cores processors the JVM sees
 * @param loadAtStart the system's load average over the last minute when the bench started (negative when the
 *     system does not tell): on a shared machine, how much else was running
 * @param loadAtEnd the same when it ended
 * @param maxHeapBytes the JVM's heap limit
 */
public record BenchReport(int cores, double loadAtStart, double loadAtEnd, String os, String java, long maxHeapBytes,
    List<ScenarioResult> results) {

  public BenchReport {
    results = List.copyOf(results);
  }

  /** The system's load average now: runnable processes over the last minute. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Facts about this machine and JVM, with {@code results} of a bench that began at {@code loadAtStart}. */
  public static BenchReport onThisMachine(double loadAtStart, List<ScenarioResult> results) {
    return new BenchReport(Runtime.getRuntime().availableProcessors(), loadAtStart, loadAverage(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory(), results);
  }

  public boolean allSameRows() {
    return results.stream().allMatch(ScenarioResult::sameRows);
  }
}
