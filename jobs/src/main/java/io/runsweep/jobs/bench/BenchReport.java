package io.runsweep.jobs.bench;

import java.util.List;

/**
 * A whole bench run.
 *
 * @param cores processors the JVM sees
 * @param maxHeapBytes the JVM's heap limit
 */
public record BenchReport(int cores, String os, String java, long maxHeapBytes, List<ScenarioResult> results) {

  public BenchReport {
    results = List.copyOf(results);
  }

  /** Facts about this machine and JVM, with {@code results}. */
  public static BenchReport onThisMachine(List<ScenarioResult> results) {
    return new BenchReport(Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory(), results);
  }

  public boolean allSameRows() {
    return results.stream().allMatch(ScenarioResult::sameRows);
  }
}
