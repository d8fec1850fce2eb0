package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the SQLite concurrent writer saw while one method ran.
 *
 * @param waits each insert's INSERT plus COMMIT, failed ones included: one every 10 ms
 * @param failures inserts that failed, "database is locked" after the busy timeout
 * @param firstError the first failure's message
 * @param logPeakBytes the largest the write-ahead log file ({@code -wal}) was after any of its inserts
 * @param writtenBytes what its thread wrote to files (Linux's {@code wchar}): its rows' log frames, and the pages its
 *     commits' automatic checkpoints copied into the database file; empty where the system does not say
 */
public record WriterStats(
        Latencies waits, long failures, Optional<String> firstError, long logPeakBytes, OptionalLong writtenBytes) {

    public long inserts() {
        return waits.count();
    }

    public Duration longestWait() {
        return waits.max();
    }

    /** Bytes written per insert, failed ones included; empty where the system does not say or nothing was tried. */
    public OptionalLong writtenPerInsert() {
        return writtenBytes.isPresent() && inserts() > 0
                ? OptionalLong.of(writtenBytes.getAsLong() / inserts())
                : OptionalLong.empty();
    }

    /** Several runs as one: every wait pooled, the failures and bytes written added up, the largest log. */
    public static WriterStats pooled(List<WriterStats> runs) {
        return new WriterStats(
                Latencies.pooled(runs.stream().map(WriterStats::waits).toList()),
                runs.stream().mapToLong(WriterStats::failures).sum(),
                runs.stream().flatMap(w -> w.firstError().stream()).findFirst(),
                runs.stream().mapToLong(WriterStats::logPeakBytes).max().orElse(0),
                runs.stream().allMatch(w -> w.writtenBytes().isPresent())
                        ? OptionalLong.of(runs.stream()
                                .mapToLong(w -> w.writtenBytes().getAsLong())
                                .sum())
                        : OptionalLong.empty());
    }
}
