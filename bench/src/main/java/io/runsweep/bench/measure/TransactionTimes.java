package io.runsweep.bench.measure;

import java.time.Duration;

/** The transactions one method ran: how many, and the longest, each measured from BEGIN to the end of COMMIT. */
public final class TransactionTimes {
    private int count;
    private int longestNumber;
    private Duration longest = Duration.ZERO;
    private Duration total = Duration.ZERO;

    public void add(Duration transaction) {
        count++;
        total = total.plus(transaction);
        if (transaction.compareTo(longest) > 0) {
            longest = transaction;
            longestNumber = count;
        }
    }

    /** Which transaction was the longest, counting from 1; 0 when there was none. */
    public int longestNumber() {
        return longestNumber;
    }

    public int count() {
        return count;
    }

    /** All of them together. */
    public Duration total() {
        return total;
    }

    public Duration longest() {
        return longest;
    }
}
