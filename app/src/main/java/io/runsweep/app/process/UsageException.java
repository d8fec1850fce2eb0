package io.runsweep.app.process;

/** A mistake in how Runsweep was called or configured: exit 2, nothing touched. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
