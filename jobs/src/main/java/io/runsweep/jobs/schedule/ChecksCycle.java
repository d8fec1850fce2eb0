package io.runsweep.jobs.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.config.Settings;
import io.runsweep.jobs.alert.AlertEvaluator;
import io.runsweep.jobs.alert.AlertListener;
import io.runsweep.jobs.alert.AlertState;
import io.runsweep.jobs.alert.JobSuccesses;
import io.runsweep.jobs.alert.WebhookNotifier;
import io.runsweep.jobs.checks.Checks;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.metrics.CheckMetrics;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Database;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's checks job: each {@link #run} measures, evaluates the alerts (logging and POSTing their
 * changes) and publishes the gauges. One instance lives as long as the daemon, so that alerts remember
 * whether they were firing.
 */
public final class ChecksCycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChecksCycle.class);

    /** One run's results. */
    public record Result(ChecksReport report, List<AlertState> alerts) {
        /** False when a check could not run; its problem was logged. */
        public boolean complete() {
            return report.problems().isEmpty();
        }
    }

    private final Checks runner;
    private final StopSignal stop;
    private final AlertEvaluator alerts;
    private final CheckMetrics metrics = new CheckMetrics();
    private final Optional<WebhookNotifier> webhook;
    // Several daemons measure and alert; only the one holding the checks' lock posts to the webhook.
    private volatile boolean notifying = true;

    /**
     * @param history when each job last succeeded, as the daemon's scheduler knows it
     * @param registry where the gauges go (the one {@code /metrics} serves)
     */
    public ChecksCycle(
            Database database, Settings settings, JobSuccesses history, MeterRegistry registry, Clock clock) {
        this(database, settings, history, registry, clock, new StopSignal());
    }

    /** @param stop cancels the checks' read under way and keeps the next check from starting */
    public ChecksCycle(
            Database database,
            Settings settings,
            JobSuccesses history,
            MeterRegistry registry,
            Clock clock,
            StopSignal stop) {
        this.runner = new Checks(database, settings, clock, stop);
        this.stop = stop;
        this.webhook = settings.alerts().webhook().map(WebhookNotifier::new);
        AlertListener notify = webhook.<AlertListener>map(w -> (state, at) -> {
                    if (notifying) {
                        w.changed(state, at);
                    }
                })
                .orElse(AlertListener.NONE);
        this.alerts = new AlertEvaluator(settings.alerts(), history, notify, clock);
        metrics.bindTo(registry);
    }

    public Result run() {
        return run(true);
    }

    /** @param notify whether alert changes go to the webhook: false on a daemon that does not hold the lock */
    public Result run(boolean notify) {
        notifying = notify;
        ChecksReport report = runner.run();
        if (stop.raised()) {
            // A stop cut the checks short: what they missed is no reading, so no gauge or alert changes for it.
            return new Result(report, List.of());
        }
        report.problems().forEach(p -> LOG.warn("checks - {}", p));
        List<AlertState> states = alerts.evaluate(report);
        metrics.update(report, states);
        return new Result(report, states);
    }

    /** Lets a webhook delivery under way finish for up to its timeout. */
    @Override
    public void close() {
        webhook.ifPresent(WebhookNotifier::close);
    }
}
