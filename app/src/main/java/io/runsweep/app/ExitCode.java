package io.runsweep.app;

/** The exit codes Runsweep documents in README.md; only {@link Main} turns outcomes into them. */
public final class ExitCode {
  /** Every selected policy succeeded. */
  public static final int OK = 0;
  /** At least one policy failed; the others still ran. */
  public static final int POLICY_FAILED = 1;
  /**
   * Bad usage or configuration; nothing was run against the database. For {@code check}: any error it
   * found, the database that cannot be reached and the policy that cannot be planned included.
   */
  public static final int USAGE = 2;
  /** {@code check} found warnings (and no errors). */
  public static final int WARNINGS = 3;

  private ExitCode() {}
}
