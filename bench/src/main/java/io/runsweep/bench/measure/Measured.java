package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.Optional;

/**
 * What running one method gave, before the rows left are fingerprinted.
 *
 * @param startedNanos when it began ({@link System#nanoTime}), to place its transactions in its time
 * @param steps the engine only: when it reached each of its steps
 */
public record Measured(
        long startedNanos,
        Duration time,
        long rowsDeleted,
        TransactionTimes transactions,
        Optional<String> error,
        Optional<HeapPeak> heap,
        Optional<EngineSteps> steps) {

    public MethodResult result(Method method, RowDigest remaining) {
        return MethodResult.single(
                method,
                time,
                rowsDeleted,
                transactions.count(),
                new MethodResult.Longest(transactions.longest(), transactions.longestNumber(), transactions.count()),
                transactions.spent(startedNanos, time),
                remaining,
                error,
                heap);
    }
}
