package io.runsweep.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransactionTimesTest {
    private static final long MS = 1_000_000;

    @Test
    void aRunsTimeOutsideItsTransactionsIsSplitIntoBeforeTheFirstBetweenThemAndAfterTheLast() {
        TransactionTimes transactions = new TransactionTimes();
        long started = 1_000 * MS;
        transactions.add(Duration.ofMillis(10), started + 30 * MS);
        transactions.add(Duration.ofMillis(5), started + 50 * MS);
        transactions.add(Duration.ofMillis(15), started + 70 * MS);

        TimeSpent spent = transactions.spent(started, Duration.ofMillis(100));

        assertEquals(new TimeSpent(Duration.ofMillis(30), Duration.ofMillis(20), Duration.ofMillis(30)), spent);
        assertEquals(Duration.ofMillis(20), spent.between(Duration.ofMillis(100)));
        assertEquals(3, transactions.count());
        assertEquals(3, transactions.longestNumber());
    }

    @Test
    void aRunWithoutTransactionsSpentItAllBeforeTheFirst() {
        TimeSpent spent = new TransactionTimes().spent(0, Duration.ofMillis(40));

        assertEquals(new TimeSpent(Duration.ZERO, Duration.ofMillis(40), Duration.ZERO), spent);
        assertEquals(Duration.ZERO, spent.between(Duration.ofMillis(40)));
    }
}
