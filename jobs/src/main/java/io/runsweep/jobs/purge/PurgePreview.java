package io.runsweep.jobs.purge;

import io.runsweep.sql.Database;
import io.runsweep.sql.IndexUse;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dry run: the same plan a real run executes, counted and explained instead. It runs only SELECT
 * and EXPLAIN, inside a read-only transaction on a connection the database itself opened read-only.
 */
public final class PurgePreview {
  private final Database database;

  public PurgePreview(Database database) {
    this.database = database;
  }

  public PolicyReport preview(PurgePlan plan) {
    long started = System.nanoTime();
    String table = plan.table().name().toString();
    try (Connection connection = database.connection()) {
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      try {
        return report(connection, plan, started);
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      return PolicyReport.failed(plan.name(), table, Optional.of(plan.cutoff()), List.of(), 0,
          Duration.ofNanos(System.nanoTime() - started), "dry run failed: " + SqlErrors.describe(e));
    }
  }

  private PolicyReport report(Connection connection, PurgePlan plan, long started) throws SQLException {
    int limit = plan.policy().batchSize();
    List<PolicyReport.TableRows> tables = new ArrayList<>();
    tables.add(new PolicyReport.TableRows(plan.table().name().toString(), count(connection, plan.count()),
        "matched", ""));
    List<PolicyReport.PlannedStatement> statements = new ArrayList<>();
    statements.add(new PolicyReport.PlannedStatement("delete one batch of up to " + limit + " rows, repeated"
        + " until none match", plan.deleteBatch().display(), explain(connection, plan.deleteBatch(), limit, List.of())));
    List<Object> sampleKeys = plan.dependents().isEmpty() ? List.of() : sampleKeys(connection, plan, limit);
    for (PurgePlan.Dependent d : plan.dependents()) {
      tables.add(new PolicyReport.TableRows(d.table().name().toString(), count(connection, d.count()), "dependent",
          d.column().name()));
      statements.add(new PolicyReport.PlannedStatement("in the same transaction, delete from "
          + d.table().name() + " the rows of the batch's deleted keys", d.delete().display(),
          explain(connection, d.delete(), limit, sampleKeys)));
    }
    for (PurgePlan.Cascade c : plan.cascades()) {
      tables.add(new PolicyReport.TableRows(c.table().toString(), count(connection, c.count()), "cascade",
          c.foreignKey().name() + " (" + c.foreignKey().childColumn() + " ON DELETE CASCADE)"));
    }
    return new PolicyReport(plan.name(), plan.table().name().toString(), Optional.of(plan.cutoff()),
        PolicyReport.Outcome.PREVIEWED, tables, 0, Duration.ofNanos(System.nanoTime() - started), Optional.empty(),
        statements);
  }

  private static long count(Connection connection, Sql count) throws SQLException {
    try (PreparedStatement s = count.prepare(connection, BatchValues.NONE); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Real keys of matching rows, so the dependent delete is explained with the list it would really get. */
  private List<Object> sampleKeys(Connection connection, PurgePlan plan, int limit) throws SQLException {
    Sql sample = database.dialect().sampleKeys(plan.table(), plan.key().orElseThrow(), plan.where());
    List<Object> keys = new ArrayList<>();
    try (PreparedStatement s = sample.prepare(connection, new BatchValues(limit, List.of()));
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        keys.add(rs.getObject(1));
      }
    }
    return keys;
  }

  private String explain(Connection connection, Sql statement, int limit, List<Object> keys) throws SQLException {
    IndexUse use = database.dialect().explain(connection, statement, new BatchValues(limit, keys));
    return use.summary();
  }
}
