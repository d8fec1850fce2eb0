package io.runsweep.jobs.checks;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgePlanner;
import io.runsweep.sql.Column;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.Stats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A policy's backlog and oldest row, from the plan a real run would execute: the backlog is the plan's
 * own count statement, so it means exactly what the next run would delete.
 */
final class PolicyChecks {
    /**
     * A cutoff later than any time a scheduler stores. Planned with it, a policy's predicate keeps all its
     * conditions but age: it matches every row the policy could ever delete.
     */
    private static final Instant ANY_AGE = Instant.parse("9999-01-01T00:00:00Z");

    private final PurgePlanner planner;
    private final Stats stats;

    PolicyChecks(Dialect dialect, Stats stats) {
        this.planner = new PurgePlanner(dialect);
        this.stats = stats;
    }

    /** Also adds the policy's table, its dependents and the tables its foreign keys cascade to. */
    PolicyCheck check(Connection connection, PolicySettings policy, Instant now, MeasuredTables tables)
            throws SQLException {
        PurgePlan plan = planner.plan(connection, policy, now);
        tables.add(plan.table().name(), policy.table());
        plan.dependents().forEach(d -> tables.add(d.table().name()));
        plan.cascades().forEach(c -> tables.add(c.table()));
        long backlog = Counts.of(connection, plan.count());
        PurgePlan anyAge = planner.plan(connection, policy, ANY_AGE.plus(policy.olderThan()));
        Column time = plan.table().column(policy.timeColumn()).orElseThrow();
        Optional<Column> fallback = policy.timeColumnFallback().flatMap(plan.table()::column);
        Optional<Instant> oldest = stats.oldest(connection, plan.table(), time, fallback, anyAge.where());
        return new PolicyCheck(
                policy.name(),
                plan.table().name().toString(),
                plan.cutoff(),
                backlog,
                oldest,
                oldest.map(o -> Duration.between(o, now)));
    }
}
