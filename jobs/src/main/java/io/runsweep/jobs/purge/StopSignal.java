package io.runsweep.jobs.purge;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks a run to stop at the next batch boundary: the batch under way commits or rolls back whole,
 * and no new one starts. Waits between batches (pauses, retry backoff) end early when it is raised.
 */
public final class StopSignal {
  private final CountDownLatch raised = new CountDownLatch(1);
  private volatile String reason = "";

  public void raise(String why) {
    reason = why;
    raised.countDown();
  }

  public boolean raised() {
    return raised.getCount() == 0;
  }

  public String reason() {
    return reason;
  }

  /** Sleeps up to {@code millis}; returns early, true, when the signal is raised. */
  public boolean sleep(long millis) {
    try {
      return raised.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      raise("interrupted");
      return true;
    }
  }
}
