package io.runsweep.config;

/** A password: its value is never part of {@link #toString()}, so it cannot slip into a log line. */
public final class Secret {
  public static final String MASK = "****";
  private final String value;

  public Secret(String value) {
    this.value = value;
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
