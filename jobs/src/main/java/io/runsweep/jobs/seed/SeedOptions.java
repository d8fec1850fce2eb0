package io.runsweep.jobs.seed;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@link PrefectSeeder} writes. The same options (seed and {@code now} included) write the
 * same rows, ids included, on either database, into one that holds as many flow runs already.
 *
 * @param flowRuns flow runs to write, spread evenly over the {@code days} before {@code now}
 * @param days how far back the history reaches
 * @param seed seed of the random source every value is drawn from
 * @param now the moment the history ends; no end_time lies after it
 * @param taskRunsPerFlowRun task runs of every flow run that started
 * @param logsPerFlowRun log rows of every flow run
 * @param eventsPerFlowRun events of every flow run
 * @param resourcesPerEvent event_resources rows of every event: the run itself, then related ones
 * @param progress told a line of progress at every commit and at the end; never null
 */
public record SeedOptions(
        int flowRuns,
        int days,
        long seed,
        Instant now,
        int taskRunsPerFlowRun,
        int logsPerFlowRun,
        int eventsPerFlowRun,
        int resourcesPerEvent,
        Consumer<String> progress) {

    public SeedOptions {
        atLeast("flowRuns", flowRuns, 0);
        atLeast("days", days, 1);
        atLeast("taskRunsPerFlowRun", taskRunsPerFlowRun, 0);
        atLeast("logsPerFlowRun", logsPerFlowRun, 0);
        atLeast("eventsPerFlowRun", eventsPerFlowRun, 0);
        atLeast("resourcesPerEvent", resourcesPerEvent, 1);
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(progress, "progress");
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("seed option " + name + " must be at least " + min + ", was " + value);
        }
    }

    /** Defaults: 1,000 flow runs over 30 days, seed 42, now = the clock at build(), 3/8/3/3. */
    public static final class Builder {
        private int flowRuns = 1_000;
        private int days = 30;
        private long seed = 42;
        private Instant now;
        private int taskRunsPerFlowRun = 3;
        private int logsPerFlowRun = 8;
        private int eventsPerFlowRun = 3;
        private int resourcesPerEvent = 3;
        private Consumer<String> progress = line -> {};

        private Builder() {}

        public Builder flowRuns(int flowRuns) {
            this.flowRuns = flowRuns;
            return this;
        }

        public Builder days(int days) {
            this.days = days;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder now(Instant now) {
            this.now = now;
            return this;
        }

        public Builder taskRunsPerFlowRun(int taskRunsPerFlowRun) {
            this.taskRunsPerFlowRun = taskRunsPerFlowRun;
            return this;
        }

        public Builder logsPerFlowRun(int logsPerFlowRun) {
            this.logsPerFlowRun = logsPerFlowRun;
            return this;
        }

        public Builder eventsPerFlowRun(int eventsPerFlowRun) {
            this.eventsPerFlowRun = eventsPerFlowRun;
            return this;
        }

        public Builder resourcesPerEvent(int resourcesPerEvent) {
            this.resourcesPerEvent = resourcesPerEvent;
            return this;
        }

        public Builder progress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        public SeedOptions build() {
            return new SeedOptions(
                    flowRuns,
                    days,
                    seed,
                    now == null ? Instant.now() : now,
                    taskRunsPerFlowRun,
                    logsPerFlowRun,
                    eventsPerFlowRun,
                    resourcesPerEvent,
                    progress);
        }
    }
}
