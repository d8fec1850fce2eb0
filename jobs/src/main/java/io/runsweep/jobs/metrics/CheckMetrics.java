package io.runsweep.jobs.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.runsweep.jobs.alert.AlertState;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.checks.PolicyCheck;
import io.runsweep.jobs.checks.SnapshotCheck;
import io.runsweep.jobs.checks.StuckCheck;
import io.runsweep.jobs.checks.TableCheck;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.TableStats;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The latest check report and alert states as gauges (see {@link CheckMetric}). Each gauge reads the
 * latest report when scraped; a table, policy, check or alert is given its gauges the first time a report
 * names it, and reads NaN while the latest report lacks it (its check failed). Each gauge is registered
 * once per registry: Micrometer warns of a gauge registered again. Dead rows, the last vacuum and the oldest
 * snapshot exist on PostgreSQL only, the file gauges on SQLite only. A table's gauges carry its schema and its
 * bare name.
 */
public final class CheckMetrics implements MeterBinder {

    private final AtomicReference<ChecksReport> report = new AtomicReference<>();
    private final AtomicReference<List<AlertState>> alerts = new AtomicReference<>(List.of());
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<MeterRegistry, Set<String>> registered = new IdentityHashMap<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        register(registry);
    }

    /** Publishes one run's results to every registry bound so far. */
    public void update(ChecksReport latest, List<AlertState> states) {
        report.set(latest);
        alerts.set(List.copyOf(states));
        registries.forEach(this::register);
    }

    private void register(MeterRegistry registry) {
        ChecksReport latest = report.get();
        if (latest != null) {
            latest.tables().forEach(t -> table(registry, t));
            latest.policies().forEach(p -> policy(registry, p.policy()));
            latest.stuck()
                    .forEach(s -> gauge(
                            registry,
                            CheckMetric.STUCK_RUNS,
                            s.name(),
                            r -> r.stuck(s.name()).map(StuckCheck::runs)));
            latest.file().ifPresent(f -> file(registry));
            latest.snapshot().ifPresent(s -> snapshot(registry));
        }
        alerts.get().forEach(a -> gauge(registry, CheckMetric.ALERT_FIRING, a.name(), r -> alert(a.name())));
    }

    private void table(MeterRegistry registry, TableCheck table) {
        String name = table.table();
        Tags tags = Tags.of(MetricNames.SCHEMA, table.schema(), MetricNames.TABLE, table.bareName());
        gauge(
                registry,
                CheckMetric.TABLE_TOTAL_BYTES,
                tags,
                r -> tableValue(r, name, t -> t.stats().totalBytes()));
        gauge(
                registry,
                CheckMetric.TABLE_BYTES,
                tags,
                r -> tableValue(r, name, t -> t.stats().tableBytes()));
        gauge(
                registry,
                CheckMetric.INDEX_BYTES,
                tags,
                r -> tableValue(r, name, t -> t.stats().indexBytes()));
        gauge(
                registry,
                CheckMetric.TABLE_ROWS,
                tags,
                r -> r.table(name)
                        .flatMap(t -> t.stats().rows().isPresent()
                                ? Optional.of(t.stats().rows().getAsLong())
                                : Optional.empty()));
        if (table.stats().upkeep().isPresent()) {
            gauge(
                    registry,
                    CheckMetric.TABLE_DEAD_ROWS,
                    tags,
                    r -> r.table(name).flatMap(t -> t.stats().upkeep()).map(TableStats.Upkeep::deadRows));
            gauge(
                    registry,
                    CheckMetric.TABLE_LAST_VACUUM,
                    tags,
                    r -> r.table(name)
                            .flatMap(t -> t.stats().upkeep())
                            .map(v -> v.lastVacuumed()
                                    .map(Instant::getEpochSecond)
                                    .orElse(0L)));
        }
    }

    private static Optional<Long> tableValue(ChecksReport report, String name, Function<TableCheck, Long> value) {
        return report.table(name).map(value);
    }

    private void policy(MeterRegistry registry, String name) {
        gauge(registry, CheckMetric.ROWS_PENDING, name, r -> r.policy(name).map(PolicyCheck::backlog));
        gauge(
                registry,
                CheckMetric.OLDEST_ROW_AGE,
                name,
                r -> r.policy(name)
                        .map(p -> p.oldestAge().map(Duration::getSeconds).orElse(0L)));
    }

    private void file(MeterRegistry registry) {
        gauge(
                registry,
                CheckMetric.SQLITE_FILE_BYTES,
                Tags.empty(),
                r -> r.file().map(FileStats::fileBytes));
        gauge(
                registry,
                CheckMetric.SQLITE_FREE_PAGES,
                Tags.empty(),
                r -> r.file().map(FileStats::freePages));
        gauge(
                registry,
                CheckMetric.SQLITE_WAL_BYTES,
                Tags.empty(),
                r -> r.file().map(FileStats::walBytes));
    }

    private void snapshot(MeterRegistry registry) {
        gauge(
                registry,
                CheckMetric.OLDEST_SNAPSHOT_AGE,
                Tags.empty(),
                r -> r.snapshot().flatMap(SnapshotCheck::age).map(Duration::getSeconds));
        gauge(
                registry,
                CheckMetric.OLDEST_SNAPSHOT_TRANSACTIONS,
                Tags.empty(),
                r -> r.snapshot().map(SnapshotCheck::transactions));
    }

    private Optional<Long> alert(String name) {
        return alerts.get().stream()
                .filter(a -> a.name().equals(name))
                .findFirst()
                .map(a -> a.firing() ? 1L : 0L);
    }

    private void gauge(
            MeterRegistry registry,
            CheckMetric metric,
            String labelValue,
            Function<ChecksReport, Optional<Long>> value) {
        gauge(registry, metric, metric.label() == null ? Tags.empty() : Tags.of(metric.label(), labelValue), value);
    }

    /** Registers the gauge unless this registry has it already: its function reads whichever report is latest. */
    private void gauge(
            MeterRegistry registry, CheckMetric metric, Tags tags, Function<ChecksReport, Optional<Long>> value) {
        synchronized (registered) {
            if (!registered.computeIfAbsent(registry, r -> new HashSet<>()).add(metric.metricName() + tags)) {
                return;
            }
        }
        ToDoubleFunction<CheckMetrics> read = m -> {
            ChecksReport latest = m.report.get();
            return latest == null
                    ? Double.NaN
                    : value.apply(latest).map(Long::doubleValue).orElse(Double.NaN);
        };
        Gauge.builder(metric.metricName(), this, read)
                .description(metric.description())
                .strongReference(true)
                .tags(tags)
                .register(registry);
    }
}
