package io.runsweep.jobs.alert;

import io.runsweep.config.AlertSettings;
import io.runsweep.config.AlertSettings.Alert;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.common.Formats;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns check reports into alert states. An alert fires while its value is above its threshold; each
 * change is logged once at WARN and handed to the listener. A value that could not be measured keeps the
 * alert as it was, so a database that does not answer for a moment neither fires nor resolves anything.
 */
public final class AlertEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final List<Alert> alerts;
    private final Measurements measurements;
    private final AlertListener listener;
    private final Clock clock;
    private final boolean logChanges;
    private final Map<String, Boolean> firing = new HashMap<>();

    /**
     * For the daemon.
     *
     * @param history when each job last succeeded; a job that has not succeeded yet counts from now
     * @param listener told of each change, e.g. a {@link WebhookNotifier}
     */
    public AlertEvaluator(AlertSettings settings, JobSuccesses history, AlertListener listener, Clock clock) {
        this(settings, Optional.of(history), listener, clock, true);
    }

    private AlertEvaluator(
            AlertSettings settings,
            Optional<JobSuccesses> history,
            AlertListener listener,
            Clock clock,
            boolean logChanges) {
        this.alerts = settings.alerts();
        this.measurements = new Measurements(history, clock.instant());
        this.listener = listener;
        this.clock = clock;
        this.logChanges = logChanges;
    }

    /**
     * For a one-shot report, which prints every state itself: no job history (job health is unknown there),
     * no changes to log, nobody to notify.
     */
    public static AlertEvaluator withoutHistory(AlertSettings settings, Clock clock) {
        return new AlertEvaluator(settings, Optional.empty(), AlertListener.NONE, clock, false);
    }

    /** Every configured alert's state, in configuration order. */
    public synchronized List<AlertState> evaluate(ChecksReport report) {
        Instant now = clock.instant();
        List<AlertState> states = new ArrayList<>();
        for (Alert alert : alerts) {
            AlertState state = state(alert, measurements.read(alert, report, now));
            boolean was = firing.getOrDefault(alert.name(), false);
            firing.put(alert.name(), state.firing());
            if (state.firing() != was && logChanges) {
                LOG.warn("alert {} {}: {}", alert.name(), state.firing() ? "firing" : "resolved", state.message());
                listener.changed(state, now);
            }
            states.add(state);
        }
        return states;
    }

    private AlertState state(Alert alert, Reading reading) {
        if (reading.value().isEmpty()) {
            return new AlertState(
                    alert.name(),
                    firing.getOrDefault(alert.name(), false),
                    reading.value(),
                    alert.threshold(),
                    reading.quantity() + " unknown: " + reading.unknownBecause().orElseThrow());
        }
        boolean above = reading.value().getAsDouble() > alert.threshold();
        String message = reading.quantity() + " " + reading.shown() + (above ? " > " : " <= ") + threshold(alert);
        return new AlertState(alert.name(), above, reading.value(), alert.threshold(), message);
    }

    private static String threshold(Alert alert) {
        return switch (alert.kind()) {
            case TOTAL_SIZE -> Formats.bytes(alert.threshold());
            case ROWS, STUCK -> Formats.count(alert.threshold());
            case DEAD_FRACTION -> Formats.percent(alert.threshold());
            case OLDEST_AGE, TIME_SINCE_SUCCESS -> Formats.age(alert.threshold());
        };
    }
}
