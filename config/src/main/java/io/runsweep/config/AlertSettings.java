package io.runsweep.config;

import java.util.List;
import java.util.Optional;

/**
 * Threshold alerts, and where to send their changes.
 *
 * @param alerts in the order the configuration lists them
 * @param webhook empty when no URL is set
 */
public record AlertSettings(List<Alert> alerts, Optional<WebhookSettings> webhook) {

    public AlertSettings {
        alerts = List.copyOf(alerts);
    }

    /**
     * One alert: it fires while the measured value is above {@code threshold}.
     *
     * @param subject the table, policy, stuck check or job the alert watches, as the configuration names it
     * @param threshold in the kind's unit: bytes, rows, a fraction, seconds, runs, seconds
     * @param location "file: line" where the alert is defined
     */
    public record Alert(String name, Kind kind, String subject, double threshold, String location) {}

    /** What an alert measures; each needs one subject key and has one threshold key. */
    public enum Kind {
        TOTAL_SIZE("max-total-size", "table"),
        ROWS("max-rows", "table"),
        DEAD_FRACTION("max-dead-fraction", "table"),
        OLDEST_AGE("max-oldest-age", "policy"),
        STUCK("max-stuck", "stuck"),
        TIME_SINCE_SUCCESS("max-time-since-success", "job");

        private final String thresholdKey;
        private final String subjectKey;

        Kind(String thresholdKey, String subjectKey) {
            this.thresholdKey = thresholdKey;
            this.subjectKey = subjectKey;
        }

        public String thresholdKey() {
            return thresholdKey;
        }

        public String subjectKey() {
            return subjectKey;
        }
    }
}
