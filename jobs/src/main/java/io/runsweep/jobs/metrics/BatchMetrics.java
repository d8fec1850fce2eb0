package io.runsweep.jobs.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.sql.TableName;
import java.time.Duration;

/**
 * runsweep_rows_deleted_total and runsweep_batch_duration_seconds, moved at every committed batch; the archive's
 * rows and bytes, and the time runs waited for the server. Rows are counted per table by its schema and bare name:
 * {@code archive.log} and {@code log} stay apart.
 */
public final class BatchMetrics implements PurgeProgress {
    // Buckets around the 200 ms a batch aims at (runsweep.batch.target-duration).
    private static final Duration[] BATCH_BUCKETS = {
        Duration.ofMillis(10),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final MeterRegistry registry;
    private final String currentSchema;

    /** @param currentSchema where the tables named without a schema are: see {@link io.runsweep.sql.Dialect#currentSchema} */
    public BatchMetrics(MeterRegistry registry, String currentSchema) {
        this.registry = registry;
        this.currentSchema = currentSchema;
    }

    @Override
    public void batchCommitted(BatchEvent event) {
        String policy = event.policy();
        event.rowsByTable().forEach((table, rows) -> {
            TableName name = TableName.parse(table);
            Counter.builder(MetricNames.ROWS_DELETED.micrometerName())
                    .description(MetricNames.ROWS_DELETED.description())
                    .tag(MetricNames.POLICY, policy)
                    .tag(MetricNames.SCHEMA, name.schema().orElse(currentSchema))
                    .tag(MetricNames.TABLE, name.name())
                    .register(registry)
                    .increment(rows);
        });
        Timer.builder(MetricNames.BATCH_DURATION.micrometerName())
                .description(MetricNames.BATCH_DURATION.description())
                .tag(MetricNames.POLICY, policy)
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry)
                .record(event.duration());
    }

    @Override
    public void batchArchived(ArchiveEvent event) {
        event.rowsByTable()
                .forEach((table, rows) -> Counter.builder(MetricNames.ROWS_ARCHIVED.micrometerName())
                        .description(MetricNames.ROWS_ARCHIVED.description())
                        .tag(MetricNames.POLICY, event.policy())
                        .tag(MetricNames.TABLE, table)
                        .tag(MetricNames.FORM, event.form())
                        .register(registry)
                        .increment(rows));
        Counter.builder(MetricNames.ARCHIVED_BYTES.micrometerName())
                .description(MetricNames.ARCHIVED_BYTES.description())
                .baseUnit("bytes")
                .tag(MetricNames.POLICY, event.policy())
                .tag(MetricNames.FORM, event.form())
                .register(registry)
                .increment(event.bytes());
    }

    @Override
    public void throttled(ThrottleEvent event) {
        Counter.builder(MetricNames.THROTTLED.micrometerName())
                .description(MetricNames.THROTTLED.description())
                .baseUnit("seconds")
                .tag(MetricNames.POLICY, event.policy())
                .tag(MetricNames.REASON, event.reason())
                .register(registry)
                .increment(event.waited().toNanos() / 1e9);
    }
}
