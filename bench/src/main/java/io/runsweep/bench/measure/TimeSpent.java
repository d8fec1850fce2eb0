package io.runsweep.bench.measure;

import java.time.Duration;

/**
 * Where a method's time went: in its transactions, and outside them before the first (the engine's planning),
 * between them, and after the last (the engine's count of what is left, and on SQLite its last checkpoint).
 */
public record TimeSpent(Duration inTransactions, Duration beforeFirst, Duration afterLast) {
    /** Of a run that took {@code time}: what its transactions and the time around them leave between them. */
    public Duration between(Duration time) {
        Duration between = time.minus(inTransactions).minus(beforeFirst).minus(afterLast);
        return between.isNegative() ? Duration.ZERO : between;
    }
}
