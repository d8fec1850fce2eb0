package io.runsweep.jobs.review;

import static io.runsweep.jobs.review.IndexCoverage.quoted;
import static io.runsweep.jobs.review.IndexCoverage.topic;

import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What deleting a policy's rows does to other tables: the tables its foreign keys cascade to; a cascade
 * (or a dependent) that removes rows another policy means to keep longer; and a RESTRICT or NO ACTION key
 * that makes the delete fail whenever a row is still referred to.
 */
final class CascadeFindings {
    private final Dialect dialect;

    CascadeFindings(Dialect dialect) {
        this.dialect = dialect;
    }

    List<Finding> of(Connection connection, PurgePlan plan, List<PurgePlan> all) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        if (!plan.cascades().isEmpty()) {
            findings.add(Finding.note(
                    topic(plan),
                    "deleting a " + quoted(plan.table().name()) + " row also deletes, by"
                            + " ON DELETE CASCADE, its rows in "
                            + plan.cascades().stream()
                                    .map(c -> quoted(c.table()) + " ("
                                            + c.foreignKey().name() + ")")
                                    .collect(Collectors.joining(", "))));
        }
        for (PurgePlan.Cascade cascade : plan.cascades()) {
            findings.addAll(keptLonger(
                    plan,
                    all,
                    cascade.table(),
                    "foreign key " + cascade.foreignKey().name() + " ON DELETE CASCADE",
                    directKey(plan, cascade.foreignKey())));
        }
        for (PurgePlan.Dependent dependent : plan.dependents()) {
            findings.addAll(keptLonger(
                    plan,
                    all,
                    dependent.table().name(),
                    "deleted in the same batch, by " + quoted(dependent.column().name()),
                    Optional.empty()));
        }
        findings.addAll(blockingKeys(connection, plan));
        return findings;
    }

    /** The key that refers to the policy's own table, which unreferenced-by can wait for; empty for deeper ones. */
    private static Optional<ForeignKey> directKey(PurgePlan plan, ForeignKey key) {
        return key.parent().equals(plan.table().name()) ? Optional.of(key) : Optional.empty();
    }

    private static List<Finding> keptLonger(
            PurgePlan plan, List<PurgePlan> all, TableName table, String how, Optional<ForeignKey> direct) {
        List<Finding> findings = new ArrayList<>();
        for (PurgePlan other : all) {
            if (other != plan
                    && other.table().name().equals(table)
                    && other.policy().olderThan().compareTo(plan.policy().olderThan()) > 0) {
                String shorter = Formats.configDuration(plan.policy().olderThan());
                String longer = Formats.configDuration(other.policy().olderThan());
                String wait = direct.map(k -> "add unreferenced-by = [{table = \"" + k.child() + "\", column = \""
                                + k.childColumn() + "\"}] to policy " + plan.name()
                                + ", so that its rows wait until policy "
                                + other.name() + " has deleted theirs; or ")
                        .orElse("");
                findings.add(Finding.warning(
                        topic(plan),
                        "policy " + plan.name() + " deletes "
                                + quoted(plan.table().name())
                                + " rows older than " + shorter + ", and with them their " + quoted(table) + " rows ("
                                + how + "),"
                                + " which policy " + other.name() + " keeps for " + longer + ": those go after "
                                + shorter
                                + " instead",
                        Optional.of(wait + "raise older-than of policy " + plan.name() + " to " + longer)));
            }
        }
        return findings;
    }

    /** RESTRICT and NO ACTION keys to the policy's table or to a table its cascades reach. */
    private List<Finding> blockingKeys(Connection connection, PurgePlan plan) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        List<Table> reached = new ArrayList<>(List.of(plan.table()));
        for (PurgePlan.Cascade cascade : plan.cascades()) {
            dialect.describe(connection, cascade.table()).ifPresent(reached::add);
        }
        for (Table table : reached) {
            for (ForeignKey key : dialect.referencing(connection, table)) {
                if (blocks(key) && !waitedFor(plan, key)) {
                    findings.add(blocking(plan, key));
                }
            }
        }
        return findings;
    }

    private static boolean blocks(ForeignKey key) {
        return key.onDelete() == ForeignKey.OnDelete.RESTRICT || key.onDelete() == ForeignKey.OnDelete.NO_ACTION;
    }

    /** unreferenced-by on that very key: the policy deletes only rows that no row refers to. */
    private static boolean waitedFor(PurgePlan plan, ForeignKey key) {
        for (TableColumn reference : plan.policy().unreferencedBy()) {
            if (TableName.parse(reference.table())
                            .name()
                            .equalsIgnoreCase(key.child().name())
                    && reference.column().equalsIgnoreCase(key.childColumn())) {
                return true;
            }
        }
        return false;
    }

    private static Finding blocking(PurgePlan plan, ForeignKey key) {
        String parent = quoted(key.parent());
        boolean own = key.parent().equals(plan.table().name());
        String message = "foreign key " + key.name() + " (" + quoted(key.child()) + "." + quoted(key.childColumn())
                + " ON DELETE " + key.onDelete().sql() + ") refers to " + parent + ": deleting a " + parent + " row"
                + (own ? "" : ", which policy " + plan.name() + " does by cascade,") + " that a " + quoted(key.child())
                + " row still refers to fails, and with it the whole batch";
        String fix = (own
                        ? "add unreferenced-by = [{table = \"" + key.child() + "\", column = \"" + key.childColumn()
                                + "\"}] to policy " + plan.name()
                                + ", so that it deletes only rows nothing refers to; or "
                        : "")
                + "delete the " + quoted(key.child()) + " rows first, with a policy of their own; or change "
                + key.name() + " to ON DELETE CASCADE or ON DELETE SET NULL";
        return Finding.warning(topic(plan), message, Optional.of(fix));
    }
}
