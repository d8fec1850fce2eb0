package io.runsweep.app;

/** A small streaming JSON writer: enough for reports, without a library for one document shape. */
final class Json {
  private final StringBuilder out = new StringBuilder();
  private boolean needsComma;

  Json beginObject() {
    separate();
    out.append('{');
    needsComma = false;
    return this;
  }

  Json endObject() {
    out.append('}');
    needsComma = true;
    return this;
  }

  Json beginArray() {
    separate();
    out.append('[');
    needsComma = false;
    return this;
  }

  Json endArray() {
    out.append(']');
    needsComma = true;
    return this;
  }

  Json name(String name) {
    separate();
    string(name);
    out.append(':');
    needsComma = false;
    return this;
  }

  Json field(String name, Object value) {
    return name(name).value(value);
  }

  /** A value in an array, or after {@link #name}: null, a number, a boolean, or anything else as a string. */
  Json value(Object value) {
    separate();
    if (value == null) {
      out.append("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(value.toString());
    }
    needsComma = true;
    return this;
  }

  private void separate() {
    if (needsComma) {
      out.append(',');
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
