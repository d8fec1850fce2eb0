package io.runsweep.app.process;

/** The exit codes Runsweep documents in README.md; only {@code io.runsweep.app.Main} turns outcomes into them. */
public final class ExitCode {
    /** Every selected policy succeeded. */
    public static final int OK = 0;
    /** A policy or a check failed (the others still ran), or the database could not be reached. */
    public static final int POLICY_FAILED = 1;
    /** {@code sweep} on a terminal: the question before a large delete was not answered yes; nothing was deleted. */
    public static final int NOT_CONFIRMED = POLICY_FAILED;
    /**
     * Bad usage or configuration; nothing was run against the database. For {@code check}: any error it
     * found, the database that cannot be reached and the policy that cannot be planned included.
     */
    public static final int USAGE = 2;
    /** {@code runsweep report}: an alert fires. */
    public static final int ALERT = 3;
    /** {@code runsweep check}: warnings and no errors. The same code as an alert: something needs a look. */
    public static final int WARNINGS = ALERT;

    private ExitCode() {}
}
