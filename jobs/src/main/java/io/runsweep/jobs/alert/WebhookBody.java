package io.runsweep.jobs.alert;

import io.runsweep.config.WebhookSettings.Format;
import io.runsweep.jobs.common.JsonWriter;
import java.time.Instant;
import java.util.OptionalDouble;

/** The JSON a webhook receives for one change of an alert. */
final class WebhookBody {
    private WebhookBody() {}

    /**
     * Generic: {@code {"alert", "state", "value", "threshold", "message", "at"}}, state "firing" or "resolved",
     * value null when unknown. Slack: {@code {"text"}} with the same line the log shows.
     */
    static String render(Format format, AlertState state, Instant at) {
        String change = state.firing() ? "firing" : "resolved";
        JsonWriter json = new JsonWriter().beginObject();
        switch (format) {
            case SLACK ->
                json.field("text", "[runsweep] alert " + state.name() + " " + change + ": " + state.message());
            case GENERIC ->
                json.field("alert", state.name())
                        .field("state", change)
                        .field("value", number(state.value()))
                        .field("threshold", number(OptionalDouble.of(state.threshold())))
                        .field("message", state.message())
                        .field("at", at.toString());
        }
        return json.endObject().toString();
    }

    /** Whole numbers without a fraction or exponent: 5000000000, not 5.0E9. */
    private static Number number(OptionalDouble value) {
        if (value.isEmpty()) {
            return null;
        }
        double v = value.getAsDouble();
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
    }
}
