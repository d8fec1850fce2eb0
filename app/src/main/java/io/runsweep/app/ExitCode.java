package io.runsweep.app;

/** The exit codes Runsweep documents in README.md; only {@link Main} turns outcomes into them. */
public final class ExitCode {
  /** Every selected policy succeeded. */
  public static final int OK = 0;
  /** At least one policy failed; the others still ran. */
  public static final int POLICY_FAILED = 1;
  /** Bad usage or configuration; nothing was run against the database. */
  public static final int USAGE = 2;

  private ExitCode() {}
}
