package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One method on one scenario: a single run, or several combined (see {@link #combine}).
 *
 * @param time wall time from the first statement to the last commit (for the engine: the whole
 *     {@code sweep} of the policy, planning included); of several runs, the median run's
 * @param runTimes every run's time, in the order they ran
 * @param rowsDeleted rows the method reported deleting
 * @param transactions transactions it committed (the median run's)
 * @param longest the longest of them, from BEGIN to the end of COMMIT, and which one it was; of several runs,
 *     the longest in any of them
 * @param spent the time its transactions took together, and outside them before the first and after the last (the
 *     median run's): the rest went to what it did between transactions
 * @param remaining fingerprint of the rows left afterwards
 * @param error why the method failed, or why its runs disagree
 * @param writer SQLite only: what the concurrent writer saw meanwhile; of several runs, every run's waits pooled
 * @param server PostgreSQL only: what the server's own work felt meanwhile; of several runs, see
 *     {@link ServerView#pooled}
 * @param heap the engine only: the Java heap meanwhile; of several runs, the run with the highest peak
 */
public record MethodResult(
        Method method,
        Duration time,
        List<Duration> runTimes,
        long rowsDeleted,
        int transactions,
        Longest longest,
        TimeSpent spent,
        RowDigest remaining,
        Optional<String> error,
        Optional<WriterStats> writer,
        Optional<ServerView> server,
        Optional<HeapPeak> heap) {

    public MethodResult {
        runTimes = List.copyOf(runTimes);
    }

    /**
     * The longest transaction of a run.
     *
     * @param number which transaction it was, counting from 1 (0 when there was none): the first, pays for cold
     *     caches; the last, often finds nothing and may pay for a long search
     * @param of the transactions of its run, which need not be the run shown (the median)
     */
    public record Longest(Duration duration, int number, int of) {
        static final Comparator<Longest> BY_DURATION = Comparator.comparing(Longest::duration);
    }

    /** The time its transactions took together. */
    public Duration inTransactions() {
        return spent.inTransactions();
    }

    /** The time between its transactions: its time less theirs and what came before the first and after the last. */
    public Duration betweenTransactions() {
        return spent.between(time);
    }

    public Duration longestTransaction() {
        return longest.duration();
    }

    /** One run. */
    public static MethodResult single(
            Method method,
            Duration time,
            long rowsDeleted,
            int transactions,
            Longest longest,
            TimeSpent spent,
            RowDigest remaining,
            Optional<String> error,
            Optional<HeapPeak> heap) {
        return new MethodResult(
                method,
                time,
                List.of(time),
                rowsDeleted,
                transactions,
                longest,
                spent,
                remaining,
                error,
                Optional.empty(),
                Optional.empty(),
                heap);
    }

    /**
     * Several runs of one method, each on a fresh copy, as one: the median run (the lower middle one for an
     * even count) for time, rows and transactions; the worst of all runs for the longest transaction and the
     * writer. Runs that deleted different rows make an error.
     */
    public static MethodResult combine(List<MethodResult> runs) {
        List<MethodResult> byTime = new ArrayList<>(runs);
        byTime.sort(Comparator.comparing(MethodResult::time));
        MethodResult median = byTime.get((byTime.size() - 1) / 2);
        return new MethodResult(
                median.method,
                median.time,
                runs.stream().map(MethodResult::time).toList(),
                median.rowsDeleted,
                median.transactions,
                runs.stream()
                        .map(MethodResult::longest)
                        .max(Longest.BY_DURATION)
                        .orElseThrow(),
                median.spent,
                median.remaining,
                error(runs),
                writer(runs),
                server(runs, median),
                runs.stream().flatMap(r -> r.heap.stream()).max(Comparator.comparingLong(HeapPeak::peakUsedBytes)));
    }

    public double rowsPerSecond() {
        double seconds = time.toNanos() / 1e9;
        return seconds == 0 ? 0 : rowsDeleted / seconds;
    }

    /** The same run, with what the SQLite writer saw. */
    public MethodResult withWriter(WriterStats writerStats) {
        return new MethodResult(
                method,
                time,
                runTimes,
                rowsDeleted,
                transactions,
                longest,
                spent,
                remaining,
                error,
                Optional.of(writerStats),
                server,
                heap);
    }

    /** The same run, with what the PostgreSQL server's work felt. */
    public MethodResult withServer(ServerView view) {
        return new MethodResult(
                method,
                time,
                runTimes,
                rowsDeleted,
                transactions,
                longest,
                spent,
                remaining,
                error,
                writer,
                Optional.of(view),
                heap);
    }

    private static Optional<String> error(List<MethodResult> runs) {
        for (int i = 0; i < runs.size(); i++) {
            MethodResult run = runs.get(i);
            if (run.error.isPresent()) {
                return Optional.of("run " + (i + 1) + " of " + runs.size() + ": " + run.error.get());
            }
            if (run.rowsDeleted != runs.get(0).rowsDeleted || !run.remaining.equals(runs.get(0).remaining)) {
                return Optional.of("run " + (i + 1) + " of " + runs.size() + " deleted " + run.rowsDeleted
                        + " rows and left " + run.remaining.text() + ", run 1 deleted " + runs.get(0).rowsDeleted
                        + " and left "
                        + runs.get(0).remaining.text());
            }
        }
        return Optional.empty();
    }

    private static Optional<WriterStats> writer(List<MethodResult> runs) {
        List<WriterStats> all = runs.stream().flatMap(r -> r.writer.stream()).toList();
        return all.isEmpty() ? Optional.empty() : Optional.of(WriterStats.pooled(all));
    }

    private static Optional<ServerView> server(List<MethodResult> runs, MethodResult median) {
        List<ServerView> all = runs.stream().flatMap(r -> r.server.stream()).toList();
        return all.isEmpty() || median.server.isEmpty()
                ? Optional.empty()
                : Optional.of(ServerView.pooled(all, median.server.get()));
    }
}
