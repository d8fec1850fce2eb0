package io.runsweep.jobs.purge;

/** A policy that cannot be planned against this database: a missing table or column, a wrong type. */
public final class PlanException extends RuntimeException {
    public PlanException(String message) {
        super(message);
    }
}
