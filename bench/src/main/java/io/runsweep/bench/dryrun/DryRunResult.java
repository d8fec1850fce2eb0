package io.runsweep.bench.dryrun;

import io.runsweep.bench.measure.BenchFormat;
import io.runsweep.bench.measure.TargetCheck;
import io.runsweep.sql.DatabaseKind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The Prefect preset's dry run beside one {@code count(*)} of the largest table it reads.
 *
 * @param server the database product and version, as the server reports it
 * @param flowRuns flow runs seeded, with their states, task runs, logs, artifacts and events
 * @param largestTable the largest table (with its indexes) any of the preset's policies reads
 * @param largestBytes its size, indexes included
 * @param countTimes each timed {@code SELECT count(*)} of it, after one untimed
 * @param dryRunTimes each timed dry run, after one untimed: what {@code runsweep sweep --dry-run} does once the
 *     configuration is read and the database opened
 * @param estimateTimes the same with {@code --estimate}: the database's row estimates instead of counts
 * @param mismatches counts the dry run reported that differ from one plain count of the same rows; empty when
 *     every count is exact
 * @param counts how many counts were compared
 * @param slowestCount the slowest of those plain counts, made one after another on one connection: a dry run that
 *     counts exactly takes at least as long
 */
public record DryRunResult(
        DatabaseKind kind,
        String server,
        long flowRuns,
        String largestTable,
        long largestBytes,
        List<Duration> countTimes,
        List<Duration> dryRunTimes,
        List<Duration> estimateTimes,
        List<String> mismatches,
        int counts,
        PlainCount slowestCount) {

    /** One plain count of the rows a dry run counted, and how long it took. */
    public record PlainCount(String what, Duration time) {}

    public DryRunResult {
        countTimes = List.copyOf(countTimes);
        dryRunTimes = List.copyOf(dryRunTimes);
        estimateTimes = List.copyOf(estimateTimes);
        mismatches = List.copyOf(mismatches);
    }

    public Duration countTime() {
        return median(countTimes);
    }

    public Duration dryRunTime() {
        return median(dryRunTimes);
    }

    public Duration estimateTime() {
        return median(estimateTimes);
    }

    public double ratio() {
        return ratio(dryRunTime());
    }

    public double estimateRatio() {
        return ratio(estimateTime());
    }

    private double ratio(Duration time) {
        long count = countTime().toNanos();
        return count == 0 ? 0 : (double) time.toNanos() / count;
    }

    /** The slowest plain count against one count(*) of the largest table. */
    public double slowestRatio() {
        return ratio(slowestCount.time());
    }

    public boolean exact() {
        return mismatches.isEmpty();
    }

    /**
     * Issue 12's targets: at most twice one count(*) of the largest table, with exact counts, or with estimates when
     * asked for speed; and the counts exact.
     */
    public List<TargetCheck> targets() {
        return List.of(
                TargetCheck.judged(
                        "the Prefect preset's dry run at most 2x one count(*) of the largest table it reads",
                        ratio() <= 2.0,
                        against(ratio(), dryRunTime()),
                        "it counts exactly every row each policy would delete from its table, its dependents and"
                                + " its cascades: " + counts + " counts, several of them joins over tables as large"
                                + " as the largest; the slowest alone, " + slowestCount.what() + ", took "
                                + against(slowestRatio(), slowestCount.time())
                                + (slowestRatio() > 2.0 ? ", so no dry run that counts can meet 2x here" : "")
                                + "; --estimate is the fast way"),
                TargetCheck.judged(
                        "with --estimate, at most 2x one count(*) of the largest table it reads",
                        estimateRatio() <= 2.0,
                        against(estimateRatio(), estimateTime()),
                        kind == DatabaseKind.SQLITE
                                ? "SQLite keeps no row estimates, so --estimate counts too"
                                : "planning and EXPLAIN of every count took longer than the count(*)"),
                TargetCheck.judged(
                        "every count the dry run reports is exact",
                        exact(),
                        exact() ? counts + " of " + counts + " equal a plain count" : String.join("; ", mismatches),
                        "a count the dry run reported differs from a plain count of the same rows"));
    }

    private String against(double ratio, Duration time) {
        return String.format(
                Locale.ROOT,
                "%.2fx (%s vs %s for count(*) of %s)",
                ratio,
                BenchFormat.time(time),
                BenchFormat.time(countTime()),
                largestTable);
    }

    private static Duration median(List<Duration> times) {
        List<Duration> sorted = times.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
