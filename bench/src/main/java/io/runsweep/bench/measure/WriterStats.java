package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the SQLite concurrent writer saw while one method ran.
 *
 * @param waits each insert's INSERT plus COMMIT, failed ones included: one every 10 ms
 * @param failures inserts that failed, "database is locked" after the busy timeout
 * @param firstError the first failure's message
 * @param logPeakBytes the largest the write-ahead log file ({@code -wal}) was after any of its inserts
 * @param unwaited the inserts among them that found the write lock free: the server's own commit, and the automatic
 *     checkpoint one runs once the log holds 1,000 pages
 */
public record WriterStats(
        Latencies waits, long failures, Optional<String> firstError, long logPeakBytes, Latencies unwaited) {

    public long inserts() {
        return waits.count();
    }

    public Duration longestWait() {
        return waits.max();
    }

    /** Several runs as one: every wait pooled, the failures added up, the largest log. */
    public static WriterStats pooled(List<WriterStats> runs) {
        return new WriterStats(
                Latencies.pooled(runs.stream().map(WriterStats::waits).toList()),
                runs.stream().mapToLong(WriterStats::failures).sum(),
                runs.stream().flatMap(w -> w.firstError().stream()).findFirst(),
                runs.stream().mapToLong(WriterStats::logPeakBytes).max().orElse(0),
                Latencies.pooled(runs.stream().map(WriterStats::unwaited).toList()));
    }
}
