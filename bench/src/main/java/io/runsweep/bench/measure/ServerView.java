package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a PostgreSQL server's own work felt while one method ran: the scheduler's writes, its waits on the
 * rows the method deletes, the WAL written and how far back the oldest snapshot held VACUUM.
 *
 * @param idle the writer's transactions in the second before the method started, after its warm-up and the
 *     CHECKPOINT before the method, on the same table
 * @param writes the writer's transactions while the method ran: each inserts a run and a log line, and
 *     finishes an earlier run (its status, end time and status history) with a log line, 100 a second
 * @param lookups lookups of random expiring rows with {@code FOR KEY SHARE NOWAIT}, as the application's
 *     foreign-key checks take them, 50 a second whatever the method locks
 * @param locked of those lookups, the ones that found their row locked by the method
 * @param lockWaits waits for a row a lookup found locked, each on the waiting connection when it was free: how
 *     long each waited
 * @param failures writer transactions and touches that failed
 * @param firstError the first failure's message
 * @param walBytes WAL the server wrote while the method ran, the writer's included
 * @param oldestTransaction the longest any session's transaction had been open, sampled every 20 ms
 * @param xminAge the oldest snapshot any session held (the xmin horizon VACUUM must respect), in transactions
 * @param writesByStep the engine only: each of {@code writes} in the engine's step it began in
 */
public record ServerView(
        Latencies idle,
        Latencies writes,
        long lookups,
        long locked,
        Latencies lockWaits,
        long failures,
        Optional<String> firstError,
        long walBytes,
        Duration oldestTransaction,
        long xminAge,
        WritesByStep writesByStep) {

    /**
     * Several runs as one: latencies pooled, the median run's WAL (the run whose time was the median), the
     * longest transaction and oldest snapshot of any run, failures added up.
     */
    public static ServerView pooled(List<ServerView> runs, ServerView median) {
        return new ServerView(
                Latencies.pooled(runs.stream().map(ServerView::idle).toList()),
                Latencies.pooled(runs.stream().map(ServerView::writes).toList()),
                runs.stream().mapToLong(ServerView::lookups).sum(),
                runs.stream().mapToLong(ServerView::locked).sum(),
                Latencies.pooled(runs.stream().map(ServerView::lockWaits).toList()),
                runs.stream().mapToLong(ServerView::failures).sum(),
                runs.stream().flatMap(r -> r.firstError().stream()).findFirst(),
                median.walBytes(),
                runs.stream()
                        .map(ServerView::oldestTransaction)
                        .max(Comparator.naturalOrder())
                        .orElse(Duration.ZERO),
                runs.stream().mapToLong(ServerView::xminAge).max().orElse(0),
                WritesByStep.pooled(runs.stream().map(ServerView::writesByStep).toList()));
    }
}
