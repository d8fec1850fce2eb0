package io.runsweep.bench.measure;

/** What the engine was doing while one of the server's writes began. */
public enum EngineStep {
    /** Planning; a count of the matching rows made before the first batch. */
    BEFORE_FIRST_BATCH("before the first batch"),
    /** The batches, with the count of the matching rows running beside them on a session of its own. */
    BESIDE_COUNT("beside the count of the matching rows"),
    /** The batches alone, once that count had ended (or where there was none beside them). */
    BATCHES("in the batches alone"),
    /** What follows them: counting what is left, the passes by index. */
    AFTER_LAST_BATCH("after the last batch");

    private final String label;

    EngineStep(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
