package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.daemon.DaemonMeters;
import io.runsweep.app.daemon.DatabaseHealth;
import io.runsweep.jobs.metrics.BatchMetrics;
import io.runsweep.jobs.metrics.MetricNames;
import io.runsweep.jobs.metrics.PartitionMetrics;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.schedule.JobMetrics;
import io.runsweep.jobs.schedule.JobResult;
import io.runsweep.jobs.schedule.JobRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each Micrometer name becomes exactly the Prometheus name the contract (docs/metrics.md) promises. */
class MetricNamesTest {

    @Test
    void theExpositionCarriesEveryContractNameWithItsDescription() {
        try (DaemonMeters meters = new DaemonMeters()) {
            new DatabaseHealth(meters.registry());
            new PartitionMetrics(meters.registry()).register("runs");
            JobMetrics jobs = new JobMetrics(meters.registry());
            jobs.register("logs");
            jobs.finished(new JobRun(
                    "logs",
                    Instant.EPOCH,
                    Instant.EPOCH,
                    Duration.ofMillis(1500),
                    JobResult.succeeded(Map.of("log", 42L), "deleted 42 rows")));
            BatchMetrics batches = new BatchMetrics(meters.registry(), "public");
            batches.batchCommitted(
                    new PurgeProgress.BatchEvent("logs", "log", 42, Map.of("log", 42L), 42, 1, Duration.ofMillis(30)));
            batches.batchArchived(new PurgeProgress.ArchiveEvent("logs", "directory", Map.of("log", 42L), 1234));
            batches.throttled(new PurgeProgress.ThrottleEvent(
                    "logs", "replica_lag", Duration.ofMillis(2500), "replica r: replay lag 12 s"));

            // A gauge whose object nothing else holds (here, the DatabaseHealth) reads NaN after a collection.
            System.gc();
            String text = meters.registry().scrape();

            for (MetricNames.Metric metric : MetricNames.ALL) {
                assertTrue(
                        text.contains("# HELP " + metric.prometheusName() + " " + metric.description() + "\n"),
                        metric.prometheusName() + " in:\n" + text);
            }
            assertEquals(
                    "42.0",
                    Http.sample(text, "runsweep_rows_deleted_total{policy=\"logs\",schema=\"public\",table=\"log\"}"));
            assertEquals("1.5", Http.sample(text, "runsweep_job_duration_seconds_sum{runsweep_job=\"logs\"}"));
            assertEquals(
                    "1", Http.sample(text, "runsweep_job_duration_seconds_bucket{runsweep_job=\"logs\",le=\"5.0\"}"));
            assertEquals(
                    "0", Http.sample(text, "runsweep_job_duration_seconds_bucket{runsweep_job=\"logs\",le=\"1.0\"}"));
            assertEquals(
                    "1.5", Http.sample(text, "runsweep_job_last_success_timestamp_seconds{runsweep_job=\"logs\"}"));
            assertEquals("0.0", Http.sample(text, "runsweep_database_up"));
            assertEquals(
                    "0.0", Http.sample(text, "runsweep_job_runs_total{outcome=\"stopped\",runsweep_job=\"logs\"}"));
            assertEquals(
                    "42.0",
                    Http.sample(
                            text, "runsweep_rows_archived_total{form=\"directory\",policy=\"logs\",table=\"log\"}"));
            assertEquals(
                    "1234.0", Http.sample(text, "runsweep_archived_bytes_total{form=\"directory\",policy=\"logs\"}"));
            assertEquals(
                    "2.5",
                    Http.sample(text, "runsweep_throttled_seconds_total{policy=\"logs\",reason=\"replica_lag\"}"));
        }
    }
}
