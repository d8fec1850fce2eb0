package io.runsweep.sql;

import java.util.List;

/** The one JSON shape Runsweep writes: a flat array of keys, for SQLite's json_each. */
final class JsonArray {
  private JsonArray() {}

  static String of(List<Object> values) {
    StringBuilder json = new StringBuilder("[");
    for (Object value : values) {
      if (json.length() > 1) {
        json.append(',');
      }
      if (value instanceof Number) {
        json.append(value);
      } else {
        string(json, String.valueOf(value));
      }
    }
    return json.append(']').toString();
  }

  private static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
