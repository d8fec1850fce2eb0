package io.runsweep.jobs.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.jobs.partition.PartitionReport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * runsweep_partitions_ahead and runsweep_partition_default_rows, per partition set, as its last run in the
 * daemon left them: registered once per set when its job is made, NaN until its first run.
 */
public final class PartitionMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicReference<PartitionReport>> latest = new ConcurrentHashMap<>();

    public PartitionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void register(String set) {
        latest.computeIfAbsent(set, s -> {
            AtomicReference<PartitionReport> report = new AtomicReference<>();
            gauge(MetricNames.PARTITIONS_AHEAD, s, report, r -> r.futurePartitions());
            gauge(MetricNames.PARTITION_DEFAULT_ROWS, s, report, r -> r.defaultRows());
            return report;
        });
    }

    /** A run that failed before it could look at the table leaves the last values in place. */
    public void update(PartitionReport report) {
        if (report.outcome() != PartitionReport.Outcome.FAILED
                || !report.steps().isEmpty()) {
            latest.get(report.name()).set(report);
        }
    }

    private void gauge(
            MetricNames.Metric metric,
            String set,
            AtomicReference<PartitionReport> report,
            java.util.function.ToDoubleFunction<PartitionReport> value) {
        Gauge.builder(metric.micrometerName(), report, r -> r.get() == null ? Double.NaN : value.applyAsDouble(r.get()))
                .description(metric.description())
                .tag(MetricNames.SET, set)
                .register(registry);
    }
}
