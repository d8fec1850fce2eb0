package io.runsweep.jobs.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * One method's run on its own copy of the table.
 *
 * @param time wall time from the first statement to the last commit (for the engine: the whole
 *     {@code sweep} of the policy, planning included)
 * @param rowsDeleted rows the method reported deleting
 * @param transactions transactions it committed
 * @param longestTransaction the longest of them, from BEGIN to the end of COMMIT
 * @param remaining fingerprint of the rows left afterwards
 * @param error why the method failed, when it did
 * @param writer SQLite only: what the concurrent writer saw meanwhile
 * @param heap the engine only: the Java heap meanwhile
 */
public record MethodResult(
    Method method,
    Duration time,
    long rowsDeleted,
    int transactions,
    Duration longestTransaction,
    RowDigest remaining,
    Optional<String> error,
    Optional<WriterStats> writer,
    Optional<HeapPeak> heap) {

  public double rowsPerSecond() {
    double seconds = time.toNanos() / 1e9;
    return seconds == 0 ? 0 : rowsDeleted / seconds;
  }

  MethodResult with(Optional<WriterStats> writerStats, Optional<HeapPeak> heapPeak) {
    return new MethodResult(method, time, rowsDeleted, transactions, longestTransaction, remaining, error,
        writerStats, heapPeak);
  }
}
