package io.runsweep.jobs.bench;

import java.time.Duration;

/** The transactions one method ran: how many, and the longest, each measured from BEGIN to the end of COMMIT. */
final class Transactions {
  private int count;
  private int longestNumber;
  private Duration longest = Duration.ZERO;

  void add(Duration transaction) {
    count++;
    if (transaction.compareTo(longest) > 0) {
      longest = transaction;
      longestNumber = count;
    }
  }

  /** Which transaction was the longest, counting from 1; 0 when there was none. */
  int longestNumber() {
    return longestNumber;
  }

  int count() {
    return count;
  }

  Duration longest() {
    return longest;
  }
}
