package io.runsweep.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.config.Settings;
import io.runsweep.jobs.alert.AlertEvaluator;
import io.runsweep.jobs.alert.AlertListener;
import io.runsweep.jobs.alert.AlertState;
import io.runsweep.jobs.alert.JobHistory;
import io.runsweep.jobs.alert.WebhookNotifier;
import io.runsweep.jobs.check.CheckReport;
import io.runsweep.jobs.check.CheckRunner;
import io.runsweep.jobs.metrics.CheckMetrics;
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
public final class CheckCycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckCycle.class);

  /** One run's results. */
  public record Result(CheckReport report, List<AlertState> alerts) {
    /** False when a check could not run; its problem was logged. */
    public boolean complete() {
      return report.problems().isEmpty();
    }
  }

  private final CheckRunner runner;
  private final AlertEvaluator alerts;
  private final CheckMetrics metrics = new CheckMetrics();
  private final Optional<WebhookNotifier> webhook;

  /**
   * @param history when each job last succeeded, as the daemon's scheduler knows it
   * @param registry where the gauges go (the one {@code /metrics} serves)
   */
  public CheckCycle(Database database, Settings settings, JobHistory history, MeterRegistry registry, Clock clock) {
    this.runner = new CheckRunner(database, settings, clock);
    this.webhook = settings.alerts().webhook().map(WebhookNotifier::new);
    this.alerts = new AlertEvaluator(settings.alerts(), history,
        webhook.<AlertListener>map(w -> w).orElse(AlertListener.NONE), clock);
    metrics.bindTo(registry);
  }

  public Result run() {
    CheckReport report = runner.run();
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
