package io.runsweep.jobs.alert;

import io.runsweep.config.WebhookSettings.Format;
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
    return switch (format) {
      case SLACK -> "{\"text\":" + quote("[runsweep] alert " + state.name() + " " + change + ": " + state.message()) + "}";
      case GENERIC -> "{\"alert\":" + quote(state.name()) + ",\"state\":" + quote(change)
          + ",\"value\":" + number(state.value()) + ",\"threshold\":" + number(OptionalDouble.of(state.threshold()))
          + ",\"message\":" + quote(state.message()) + ",\"at\":" + quote(at.toString()) + "}";
    };
  }

  /** Whole numbers without a fraction or exponent: 5000000000, not 5.0E9. */
  private static String number(OptionalDouble value) {
    if (value.isEmpty()) {
      return "null";
    }
    double v = value.getAsDouble();
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.append('"').toString();
  }
}
