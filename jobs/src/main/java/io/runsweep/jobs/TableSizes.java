package io.runsweep.jobs;

import io.runsweep.sql.Database;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Exact row counts and on-disk bytes of named tables: what the demo shows before and after a sweep. */
public final class TableSizes {
  private TableSizes() {}

  public record TableSize(String table, long rows, long bytes) {}

  /** Tables that do not exist are left out. */
  public static List<TableSize> of(Database database, List<String> tables) throws SQLException {
    List<TableSize> sizes = new ArrayList<>();
    try (Connection connection = database.connection()) {
      for (String name : tables) {
        Optional<Table> table = database.dialect().describe(connection, TableName.parse(name));
        if (table.isPresent()) {
          sizes.add(new TableSize(table.get().name().toString(), rows(connection, table.get()),
              database.dialect().totalBytes(connection, table.get())));
        }
      }
    }
    return sizes;
  }

  private static long rows(Connection connection, Table table) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM " + table.name().quoted());
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
