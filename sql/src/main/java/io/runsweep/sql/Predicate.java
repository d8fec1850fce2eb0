package io.runsweep.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The WHERE clause of a retention policy: {@code time < cutoff [AND status IN (...)] [AND c IS NULL ...]}.
 * A NULL time never satisfies {@code <}, so rows that never finished are never matched.
 */
public record Predicate(String text, List<SqlParam> params) {

  public Predicate {
    params = List.copyOf(params);
  }

  public static Predicate of(
      Column time, SqlParam cutoff, Column status, List<SqlParam> statusValues, List<Column> mustBeNull) {
    StringBuilder text = new StringBuilder(time.quoted()).append(" < ?");
    List<SqlParam> params = new ArrayList<>(List.of(cutoff));
    if (status != null) {
      StringJoiner marks = new StringJoiner(", ", " AND " + status.quoted() + " IN (", ")");
      statusValues.forEach(v -> marks.add("?"));
      text.append(marks);
      params.addAll(statusValues);
    }
    for (Column column : mustBeNull) {
      text.append(" AND ").append(column.quoted()).append(" IS NULL");
    }
    return new Predicate(text.toString(), params);
  }
}
