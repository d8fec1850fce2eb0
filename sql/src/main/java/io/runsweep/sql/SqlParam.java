package io.runsweep.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One bound parameter of a planned statement. Values are always bound, never spliced into SQL text.
 * Two kinds are filled in per batch: the batch size, and the keys of the rows a batch deleted.
 */
public sealed interface SqlParam {

  void bind(Connection connection, PreparedStatement statement, int index, BatchValues batch) throws SQLException;

  /** How the dry run shows this parameter. */
  String display();

  /** What a batch supplies to its statements. */
  record BatchValues(int limit, List<Object> keys) {
    public static final BatchValues NONE = new BatchValues(0, List.of());

    public BatchValues {
      keys = List.copyOf(keys);
    }
  }

  /** A value known at plan time: the cutoff, a status. */
  record Value(Object value, int sqlType, String shown) implements SqlParam {
    @Override
    public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
      s.setObject(index, value, sqlType);
    }

    @Override
    public String display() {
      return shown;
    }
  }

  /** The number of rows one batch takes. */
  record BatchLimit() implements SqlParam {
    @Override
    public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
      s.setInt(index, batch.limit());
    }

    @Override
    public String display() {
      return "<batch size>";
    }
  }

  /** The keys of the parent rows a batch deleted, bound the way the dialect reads a list. */
  record DeletedKeys(KeyListBinder binder) implements SqlParam {
    @Override
    public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
      binder.bind(c, s, index, batch.keys());
    }

    @Override
    public String display() {
      return "<keys of the rows this batch deleted>";
    }
  }

  /** PostgreSQL binds a typed array; SQLite a JSON array read back with json_each. */
  @FunctionalInterface
  interface KeyListBinder {
    void bind(Connection c, PreparedStatement s, int index, List<Object> keys) throws SQLException;
  }
}
