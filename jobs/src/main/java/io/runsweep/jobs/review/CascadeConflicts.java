package io.runsweep.jobs.review;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgePlanner;
import io.runsweep.sql.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The warnings {@code runsweep check} gives about foreign keys, for {@code sweep} to repeat before it
 * deletes: a cascade or dependent that removes rows another policy keeps longer, and keys that would
 * refuse a delete. Every configured policy is planned, since any of them may be the one kept longer.
 */
public final class CascadeConflicts {
    private CascadeConflicts() {}

    public static List<Finding> warnings(
            Database database, List<PolicySettings> all, Collection<String> selected, Instant now) throws SQLException {
        try (Connection connection = database.connection()) {
            PurgePlanner planner = new PurgePlanner(database.dialect());
            List<PurgePlan> plans = new ArrayList<>();
            for (PolicySettings policy : all) {
                try {
                    plans.add(planner.plan(connection, policy, now));
                } catch (PlanException e) {
                    // reported when the policy runs; a policy that cannot be planned keeps nothing either
                }
            }
            CascadeFindings findings = new CascadeFindings(database.dialect());
            List<Finding> warnings = new ArrayList<>();
            for (PurgePlan plan : plans) {
                if (selected.contains(plan.name())) {
                    findings.of(connection, plan, plans).stream()
                            .filter(f -> f.severity() == Finding.Severity.WARNING)
                            .forEach(warnings::add);
                }
            }
            return warnings;
        }
    }
}
