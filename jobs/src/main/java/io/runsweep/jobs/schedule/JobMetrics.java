package io.runsweep.jobs.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runsweep.jobs.metrics.MetricNames;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** runsweep_job_runs_total, runsweep_job_duration_seconds and runsweep_job_last_success_timestamp_seconds. */
public final class JobMetrics implements JobObserver {
    // Buckets from a quick purge to an hour-long backlog.
    private static final Duration[] JOB_BUCKETS = {
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofHours(1)
    };

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccessMillis = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Creates the job's run counters at 0, so that increase() and rate() see a job's first failure. */
    public void register(String job) {
        for (JobOutcome outcome : JobOutcome.values()) {
            runs(job, outcome);
        }
    }

    @Override
    public void finished(JobRun run) {
        runs(run.job(), run.outcome()).increment();
        if (run.outcome() == JobOutcome.SKIPPED_LOCKED) {
            return;
        }
        Timer.builder(MetricNames.JOB_DURATION.micrometerName())
                .description(MetricNames.JOB_DURATION.description())
                .tag(MetricNames.JOB, run.job())
                .serviceLevelObjectives(JOB_BUCKETS)
                .register(registry)
                .record(run.duration());
        if (run.outcome() == JobOutcome.SUCCEEDED) {
            lastSuccess(run.job()).set(run.endedAt().toEpochMilli());
        }
    }

    private Counter runs(String job, JobOutcome outcome) {
        return Counter.builder(MetricNames.JOB_RUNS.micrometerName())
                .description(MetricNames.JOB_RUNS.description())
                .tag(MetricNames.JOB, job)
                .tag(MetricNames.OUTCOME, outcome.label())
                .register(registry);
    }

    private AtomicLong lastSuccess(String job) {
        return lastSuccessMillis.computeIfAbsent(job, j -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder(MetricNames.JOB_LAST_SUCCESS.micrometerName(), millis, m -> m.get() / 1000.0)
                    .description(MetricNames.JOB_LAST_SUCCESS.description())
                    .baseUnit("seconds")
                    .tag(MetricNames.JOB, j)
                    .register(registry);
            return millis;
        });
    }
}
