package io.runsweep.jobs.purge;

import io.runsweep.config.PolicySettings;
import io.runsweep.sql.Column;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.Sql;
import io.runsweep.sql.TableInfo;
import io.runsweep.sql.TableName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one policy will do, decided before anything runs: the cutoff, the predicate and every
 * statement. A real run executes these statements and no others; a dry run counts and explains them.
 *
 * @param key the column dependents reference; present when there are dependents or cascades to count
 * @param deleteBatch deletes one batch from the policy's table (returning {@code key} when there are dependents)
 * @param count counts the rows the policy matches now
 */
public record PurgePlan(
    PolicySettings policy,
    Instant cutoff,
    TableInfo table,
    Predicate where,
    Optional<Column> key,
    Sql deleteBatch,
    Sql count,
    List<Dependent> dependents,
    List<Cascade> cascades) {

  public PurgePlan {
    dependents = List.copyOf(dependents);
    cascades = List.copyOf(cascades);
  }

  public String name() {
    return policy.name();
  }

  /** A table without a foreign key whose rows go in the same batch as the parents they reference. */
  public record Dependent(TableInfo table, Column column, Sql delete, Sql count) {}

  /** A table the database itself empties through a foreign key when the policy's rows go. */
  public record Cascade(TableName table, ForeignKey foreignKey, Sql count) {}
}
