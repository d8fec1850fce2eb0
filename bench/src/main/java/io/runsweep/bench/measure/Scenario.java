package io.runsweep.bench.measure;

/** How much of the table expires, and where its rows lie. */
public enum Scenario {
    /** Retention was never run: most of the table is old (70% of the rows go), in the order the rows ended. */
    BACKLOG("backlog", "backlog", false),
    /**
     * The same rows, but old and new ones mixed through every block of the heap, as after months of deletes
     * whose space later rows reused: no range of the table can be skipped, and none is all old.
     */
    BACKLOG_INTERLEAVED("backlog, interleaved heap", "backlog-interleaved", true),
    /** Retention runs daily on a table holding sixty days: one day's worth goes. */
    STEADY_STATE("steady state", "steady-state", false);

    private final String label;
    private final String key;
    private final boolean interleaved;

    Scenario(String label, String key, boolean interleaved) {
        this.label = label;
        this.key = key;
        this.interleaved = interleaved;
    }

    /** How JSON and policy names spell it. */
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /** Whether the rows are stored in an order unrelated to their age. */
    public boolean interleaved() {
        return interleaved;
    }
}
