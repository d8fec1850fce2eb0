package io.runsweep.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the checks read from one kind of database: sizes, row counts, vacuum statistics, the oldest time
 * among a policy's rows. Read-only statements, identifiers quoted, values bound.
 */
public interface Stats {

  TableBytes bytes(Connection connection, TableInfo table) throws SQLException;

  /** The catalog's estimate of the table's rows; empty when it has none (never analyzed). */
  OptionalLong estimatedRows(Connection connection, TableInfo table) throws SQLException;

  /** Dead rows and the last vacuum and analyze; empty where the database keeps no such statistics. */
  Optional<VacuumStats> vacuum(Connection connection, TableInfo table) throws SQLException;

  /** The database file's pages; empty for a server database. */
  Optional<PageStats> pages(Connection connection) throws SQLException;

  /** The time as the column stores it, read from {@code rs} at {@code index}; empty for NULL. */
  Optional<Instant> time(ResultSet rs, int index, Column column) throws SQLException;

  /** Counts every row: exact, and it reads the whole table (or its smallest index). */
  default long exactRows(Connection connection, TableInfo table) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM " + table.name().quoted());
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The oldest time among the rows {@code where} matches: the earliest {@code time}, or where it is NULL,
   * {@code fallback}; empty when no row has one.
   */
  default Optional<Instant> oldest(Connection connection, TableInfo table, Column time, Optional<Column> fallback,
      Predicate where) throws SQLException {
    String age = fallback.map(f -> "coalesce(" + time.quoted() + ", " + f.quoted() + ")").orElse(time.quoted());
    Sql sql = Sql.of("SELECT min(" + age + ") FROM " + table.name().quoted() + " WHERE " + where.text(),
        where.params());
    try (PreparedStatement s = sql.prepare(connection, SqlParam.BatchValues.NONE); ResultSet rs = s.executeQuery()) {
      rs.next();
      return time(rs, 1, time);
    }
  }

  static Stats of(DatabaseKind kind) {
    return switch (kind) {
      case POSTGRESQL -> new PostgresStats();
      case SQLITE -> new SqliteStats();
    };
  }
}
