package io.runsweep.bench.measure;

/** How much of the table expires. */
public enum Scenario {
    /** Retention was never run: most of the table is old (70% of the rows go). */
    BACKLOG("backlog", "backlog"),
    /** Retention runs daily on a table holding sixty days: one day's worth goes. */
    STEADY_STATE("steady state", "steady-state");

    private final String label;
    private final String key;

    Scenario(String label, String key) {
        this.label = label;
        this.key = key;
    }

    /** How JSON and policy names spell it. */
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }
}
