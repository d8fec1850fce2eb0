package io.runsweep.jobs.maintenance;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgePlanner;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables the policies manage, found by planning each policy exactly as a sweep does: its own table,
 * its dependents, and every table its foreign keys' cascades reach.
 *
 * @param plans one per policy that could be planned, in policy order
 * @param problems by policy name, why it could not be planned
 */
public record ManagedTables(List<PurgePlan> plans, Map<String, String> problems) {

    public ManagedTables {
        plans = List.copyOf(plans);
        problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
    }

    public static ManagedTables plan(
            Connection connection, Dialect dialect, List<PolicySettings> policies, Instant now) {
        PurgePlanner planner = new PurgePlanner(dialect);
        List<PurgePlan> plans = new ArrayList<>();
        Map<String, String> problems = new LinkedHashMap<>();
        for (PolicySettings policy : policies) {
            try {
                plans.add(planner.plan(connection, policy, policies, now));
            } catch (PlanException e) {
                problems.put(policy.name(), e.getMessage());
            } catch (SQLException e) {
                problems.put(policy.name(), "could not plan it (" + policy.location() + "): " + Errors.describe(e));
            }
        }
        return new ManagedTables(plans, problems);
    }

    /** Each table once, in the order the plans first reach it. */
    public List<TableName> tables() {
        Set<TableName> tables = new LinkedHashSet<>();
        for (PurgePlan plan : plans) {
            tables.add(plan.table().name());
            plan.dependents().forEach(d -> tables.add(d.table().name()));
            plan.cascades().forEach(c -> tables.add(c.table()));
        }
        return List.copyOf(tables);
    }
}
