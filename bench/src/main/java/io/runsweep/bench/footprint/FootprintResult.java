package io.runsweep.bench.footprint;

import io.runsweep.bench.measure.BenchFormat;
import io.runsweep.bench.measure.TargetCheck;
import java.time.Duration;
import java.util.List;

/**
 * Runsweep's own cost as a process, with the JVM flags it was started with.
 *
 * @param jvmFlags the flags given to {@code java} before {@code -jar runsweep.jar}; empty for the JVM's defaults
 * @param helpTimes wall time of each {@code java -jar runsweep.jar --help}, from starting the process to its exit
 * @param idleRssBytes the daemon's resident memory, the most sampled once it had settled, with the Prefect preset's
 *     policies scheduled but none due
 * @param busyRssBytes the daemon's peak resident memory (VmHWM) while ten policies each ran every second
 * @param busyRuns policy runs the busy daemon logged, of {@code busyExpectedRuns}
 * @param busySeconds how long the busy daemon ran its policies
 */
public record FootprintResult(
        String jvmFlags,
        List<Duration> helpTimes,
        long idleRssBytes,
        long busyRssBytes,
        long busyRuns,
        long busyExpectedRuns,
        long busySeconds) {

    public FootprintResult {
        helpTimes = List.copyOf(helpTimes);
    }

    static final Duration HELP_AT_MOST = Duration.ofMillis(500);
    static final long IDLE_AT_MOST = 100L << 20;
    static final long BUSY_AT_MOST = 200L << 20;

    /** Issue 12's targets for the process. */
    public List<TargetCheck> targets() {
        String flags = jvmFlags.isEmpty() ? "with the JVM's defaults" : "with " + jvmFlags;
        return List.of(
                TargetCheck.judged(
                        "java -jar runsweep.jar --help under 0.5 s",
                        helpTime().compareTo(HELP_AT_MOST) < 0,
                        BenchFormat.time(helpTime()) + " (median of " + helpTimes.size() + ")",
                        "starting the JVM, loading the command line's classes from a 23 MB jar, " + flags),
                TargetCheck.judged(
                        "the daemon idle under 100 MiB resident",
                        idleRssBytes < IDLE_AT_MOST,
                        BenchFormat.mebibytes(idleRssBytes),
                        "the JVM sizes its heap and collector from the machine " + flags),
                TargetCheck.judged(
                        "the daemon under 200 MiB resident with ten policies a second",
                        busyRssBytes < BUSY_AT_MOST,
                        BenchFormat.mebibytes(busyRssBytes) + " at its peak; " + busyRuns + " policy runs of "
                                + busyExpectedRuns + " due in " + busySeconds + " s",
                        "the JVM sizes its heap and collector from the machine " + flags));
    }

    /** The median of the help runs (the lower middle one for an even count). */
    public Duration helpTime() {
        List<Duration> sorted = helpTimes.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
