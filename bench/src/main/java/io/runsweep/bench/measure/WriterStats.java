package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.Optional;

/**
 * What the concurrent writer saw while one method ran.
 *
 * @param inserts rows it tried to insert, one every 10 ms
 * @param failures inserts that failed, "database is locked" after the busy timeout
 * @param longestWait the longest INSERT plus COMMIT, failed ones included
 * @param firstError the first failure's message
 */
public record WriterStats(long inserts, long failures, Duration longestWait, Optional<String> firstError) {}
