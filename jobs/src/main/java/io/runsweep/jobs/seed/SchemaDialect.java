package io.runsweep.jobs.seed;

/** The database a Prefect fixture schema is written for. */
public enum SchemaDialect {
  POSTGRESQL("prefect-postgresql.sql"),
  SQLITE("prefect-sqlite.sql");

  private final String scriptName;

  SchemaDialect(String scriptName) {
    this.scriptName = scriptName;
  }

  /** The DDL script's file name, a resource next to this class. */
  public String scriptName() {
    return scriptName;
  }
}
