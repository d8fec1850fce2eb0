package io.runsweep.jobs.purge;

import io.runsweep.sql.Database;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executes a plan in batches, each its own short transaction: the policy's rows and their dependents
 * commit together or not at all, and a lock held by the application makes a batch give up, not wait.
 */
public final class PurgeRunner {
  private final Database database;
  private final Duration lockTimeout;

  public PurgeRunner(Database database, Duration lockTimeout) {
    this.database = database;
    this.lockTimeout = lockTimeout;
  }

  public PolicyReport run(PurgePlan plan, PurgeProgress progress) {
    long started = System.nanoTime();
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put(plan.table().name().toString(), 0L);
    plan.dependents().forEach(d -> rows.put(d.table().name().toString(), 0L));
    int batches = 0;
    int batchSize = plan.policy().batchSize();
    try (Connection connection = database.connection()) {
      while (true) {
        long batchStarted = System.nanoTime();
        long deleted = batch(connection, plan, batchSize, rows);
        progress.batchTimed(plan.name(), plan.table().name().toString(), deleted, elapsed(batchStarted));
        if (deleted == 0) {
          break;
        }
        batches++;
        progress.batchCommitted(plan.name(), plan.table().name().toString(),
            rows.get(plan.table().name().toString()), batches);
        if (deleted < batchSize) {
          break;
        }
      }
    } catch (SQLException e) {
      String table = plan.table().name().toString();
      return PolicyReport.failed(plan.name(), table, Optional.of(plan.cutoff()), tableRows(plan, rows), batches,
          elapsed(started), "delete batch failed (table=\"" + table + "\", deleted=" + rows.get(table) + ", "
              + elapsed(started).toMillis() + " ms): " + SqlErrors.describe(e));
    }
    return new PolicyReport(plan.name(), plan.table().name().toString(), Optional.of(plan.cutoff()),
        PolicyReport.Outcome.SUCCEEDED, tableRows(plan, rows), batches, elapsed(started), Optional.empty(),
        List.of());
  }

  /**
   * One transaction: the batch from the policy's table, then its dependents by the deleted keys. It ends
   * by switching auto-commit back on, which commits: sqlite-jdbc's commit() would open the next
   * transaction at once and, in IMMEDIATE mode, hold the write lock between batches.
   */
  private long batch(Connection connection, PurgePlan plan, int limit, Map<String, Long> rows)
      throws SQLException {
    connection.setAutoCommit(false);
    try {
      database.dialect().limitLockWait(connection, lockTimeout);
      List<Object> keys = new ArrayList<>();
      long deleted = deleteParents(connection, plan.deleteBatch(), limit, !plan.dependents().isEmpty(), keys);
      Map<String, Long> dependentRows = new LinkedHashMap<>();
      if (!keys.isEmpty()) {
        for (PurgePlan.Dependent dependent : plan.dependents()) {
          try (PreparedStatement s = dependent.delete().prepare(connection, new BatchValues(limit, keys))) {
            dependentRows.merge(dependent.table().name().toString(), (long) s.executeUpdate(), Long::sum);
          }
        }
      }
      connection.setAutoCommit(true);
      rows.merge(plan.table().name().toString(), deleted, Long::sum);
      dependentRows.forEach((table, n) -> rows.merge(table, n, Long::sum));
      return deleted;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(connection, e);
      throw e;
    }
  }

  private static long deleteParents(Connection connection, Sql delete, int limit, boolean returning,
      List<Object> keys) throws SQLException {
    try (PreparedStatement s = delete.prepare(connection, new BatchValues(limit, List.of()))) {
      if (!returning) {
        return s.executeUpdate();
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getObject(1));
        }
      }
      return keys.size();
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static List<PolicyReport.TableRows> tableRows(PurgePlan plan, Map<String, Long> rows) {
    List<PolicyReport.TableRows> tables = new ArrayList<>();
    String own = plan.table().name().toString();
    tables.add(new PolicyReport.TableRows(own, rows.get(own), "matched", ""));
    for (PurgePlan.Dependent d : plan.dependents()) {
      String name = d.table().name().toString();
      tables.add(new PolicyReport.TableRows(name, rows.getOrDefault(name, 0L), "dependent", d.column().name()));
    }
    return tables;
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
