package io.runsweep.sql;

import java.util.List;

/**
 * What the database's own planner says a statement would do to reach its rows.
 *
 * @param indexes the indexes named in the plan
 * @param fullScans tables the plan reads whole
 * @param plan the plan as the database printed it
 */
public record IndexUse(List<String> indexes, List<String> fullScans, List<String> plan) {

  public IndexUse {
    indexes = List.copyOf(indexes);
    fullScans = List.copyOf(fullScans);
    plan = List.copyOf(plan);
  }

  /** One line for a person: which index, or plainly that a whole table would be read. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    if (!indexes.isEmpty()) {
      s.append("uses index ").append(String.join(", ", indexes));
    }
    for (String table : fullScans) {
      s.append(s.length() == 0 ? "" : "; ")
          .append("NO INDEX: scans the whole table \"").append(table).append('"');
    }
    return s.length() == 0 ? "no table access (plan: " + String.join(" / ", plan) + ")" : s.toString();
  }
}
