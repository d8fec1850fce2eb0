package io.runsweep.jobs.review;

import static io.runsweep.jobs.review.IndexCoverage.quoted;
import static io.runsweep.jobs.review.IndexCoverage.topic;

import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.CascadeWording;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.Queries;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What deleting a policy's rows does to other tables: the tables its foreign keys cascade to; a cascade into a
 * table another policy manages, which takes rows that policy keeps (a dependent is named in the policy itself,
 * so what it takes is the policy's own choice); and a RESTRICT or NO ACTION key that makes the delete fail
 * whenever a row is still referred to.
 */
final class CascadeFindings {
    private final Dialect dialect;

    CascadeFindings(Dialect dialect) {
        this.dialect = dialect;
    }

    List<Finding> of(Connection connection, PurgePlan plan) throws SQLException {
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
        for (PurgePlan.Conflict conflict : plan.conflicts()) {
            findings.add(conflict(connection, plan, conflict));
        }
        findings.addAll(blockingKeys(connection, plan));
        return findings;
    }

    /**
     * A cascade into a table another policy manages takes that table's rows whatever their age and status; the
     * rows the other policy keeps among them go too, and a sweep refuses the policy while there are any. The
     * configuration allows it whatever the data holds today, so it is a warning even when none would go now.
     */
    private static Finding conflict(Connection connection, PurgePlan plan, PurgePlan.Conflict conflict)
            throws SQLException {
        PurgePlan.Cascade cascade = conflict.cascade();
        long now = Queries.count(connection, conflict.kept());
        String message = "policy " + plan.name() + " deletes "
                + quoted(plan.table().name()) + " rows, and by"
                + " foreign key " + CascadeWording.path(cascade) + " their " + quoted(cascade.table())
                + " rows whatever their age and status, among them rows that " + CascadeWording.keeping(conflict)
                + ": " + Formats.count(now) + (now == 1 ? " such row" : " such rows") + " would go now";
        if (plan.policy().limits().allowCascadeConflicts()) {
            return Finding.note(topic(plan), message + " (allowed by allow-cascade-conflicts)");
        }
        return Finding.warning(
                topic(plan),
                message + ". A sweep refuses the policy while any would",
                Optional.of(lowerFirst(CascadeWording.fix(plan, cascade))));
    }

    private static String lowerFirst(String text) {
        return Character.toLowerCase(text.charAt(0)) + text.substring(1);
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
