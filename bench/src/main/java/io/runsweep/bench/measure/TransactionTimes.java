package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * The transactions one method ran: how many, the longest, each measured from BEGIN to the end of COMMIT, and when
 * the first began and the last ended. Told of each as it ends.
 */
public final class TransactionTimes {
    private int count;
    private long firstBeganNanos;
    private long lastEndedNanos;
    private int longestNumber;
    private Duration longest = Duration.ZERO;
    private Duration total = Duration.ZERO;

    public void add(Duration transaction) {
        add(transaction, System.nanoTime());
    }

    /** A transaction that ended at {@code endedNanos} ({@link System#nanoTime}). */
    void add(Duration transaction, long endedNanos) {
        if (count == 0) {
            firstBeganNanos = endedNanos - transaction.toNanos();
        }
        lastEndedNanos = endedNanos;
        count++;
        total = total.plus(transaction);
        if (transaction.compareTo(longest) > 0) {
            longest = transaction;
            longestNumber = count;
        }
    }

    /** When the first began ({@link System#nanoTime}); empty when there was none. */
    public OptionalLong firstBegan() {
        return count == 0 ? OptionalLong.empty() : OptionalLong.of(firstBeganNanos);
    }

    /** When the last ended ({@link System#nanoTime}); empty when there was none. */
    public OptionalLong lastEnded() {
        return count == 0 ? OptionalLong.empty() : OptionalLong.of(lastEndedNanos);
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

    /** Where a run that began at {@code startedNanos} ({@link System#nanoTime}) and took {@code time} spent it. */
    public TimeSpent spent(long startedNanos, Duration time) {
        if (count == 0) {
            return new TimeSpent(Duration.ZERO, time, Duration.ZERO);
        }
        Duration before = Duration.ofNanos(Math.max(0, firstBeganNanos - startedNanos));
        Duration after = Duration.ofNanos(Math.max(0, startedNanos + time.toNanos() - lastEndedNanos));
        return new TimeSpent(total, before, after);
    }
}
