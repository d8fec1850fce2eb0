package io.runsweep.bench.measure;

/** The bench cannot run here, and says why: it never touches what it did not create. */
public final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }
}
