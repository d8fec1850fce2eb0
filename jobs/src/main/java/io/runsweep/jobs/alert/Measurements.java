package io.runsweep.jobs.alert;

import io.runsweep.config.AlertSettings.Alert;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.checks.PolicyCheck;
import io.runsweep.jobs.checks.StuckCheck;
import io.runsweep.jobs.checks.TableCheck;
import io.runsweep.jobs.common.Formats;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** Reads each kind of alert's value off a check report, or off the daemon's job history. */
final class Measurements {
    private static final String SEE_PROBLEMS = " was not measured (see the checks' problems)";
    private static final String NO_ESTIMATE =
            "PostgreSQL has no estimate until the table is first analyzed (or set runsweep.checks.exact-counts = true)";
    private static final String NO_DEAD_ROWS = "only PostgreSQL keeps dead-row statistics";

    private final Optional<JobSuccesses> history;
    private final Instant startedAt;

    /**
     * @param history empty outside the daemon: then job health cannot be known
     * @param startedAt a job that has not succeeded yet counts as failing since then
     */
    Measurements(Optional<JobSuccesses> history, Instant startedAt) {
        this.history = history;
        this.startedAt = startedAt;
    }

    Reading read(Alert alert, ChecksReport report, Instant now) {
        String subject = alert.subject();
        return switch (alert.kind()) {
            case TOTAL_SIZE ->
                table(
                        report,
                        subject,
                        "total size",
                        "",
                        t -> Optional.of(Reading.of(
                                quantity(subject, "total size"),
                                t.stats().totalBytes(),
                                Formats.bytes(t.stats().totalBytes()))));
            case ROWS ->
                table(
                        report,
                        subject,
                        "rows",
                        NO_ESTIMATE,
                        t -> t.stats().rows().isPresent()
                                ? Optional.of(Reading.of(
                                        quantity(subject, "rows"),
                                        t.stats().rows().getAsLong(),
                                        Formats.count(t.stats().rows().getAsLong())
                                                + (t.stats().rowsExact() ? "" : " (estimate)")))
                                : Optional.empty());
            case DEAD_FRACTION ->
                table(
                        report,
                        subject,
                        "dead rows",
                        NO_DEAD_ROWS,
                        t -> t.stats()
                                .upkeep()
                                .map(v -> Reading.of(
                                        quantity(subject, "dead rows"),
                                        v.deadFraction(),
                                        Formats.percent(v.deadFraction()))));
            case OLDEST_AGE -> oldestAge(report, subject);
            case STUCK -> stuck(report, subject);
            case TIME_SINCE_SUCCESS -> sinceSuccess(subject, now);
        };
    }

    private static String quantity(String table, String what) {
        return "\"" + table + "\" " + what;
    }

    /** @param notMeasured why {@code read} may find nothing in a table that was checked */
    private static Reading table(
            ChecksReport report,
            String name,
            String what,
            String notMeasured,
            Function<TableCheck, Optional<Reading>> read) {
        Optional<TableCheck> table = report.table(name);
        if (table.isEmpty()) {
            return Reading.unknown(quantity(name, what), "table \"" + name + "\"" + SEE_PROBLEMS);
        }
        return read.apply(table.get()).orElseGet(() -> Reading.unknown(quantity(name, what), notMeasured));
    }

    private static Reading oldestAge(ChecksReport report, String policy) {
        String quantity = "policy " + policy + " oldest row age";
        Optional<PolicyCheck> check = report.policy(policy);
        if (check.isEmpty()) {
            return Reading.unknown(quantity, "policy " + policy + SEE_PROBLEMS);
        }
        return check.get()
                .oldestAge()
                .map(age -> Reading.of(quantity, age.toMillis() / 1000.0, Formats.age(age)))
                .orElseGet(() -> Reading.of(quantity, 0, "none (no rows)"));
    }

    private static Reading stuck(ChecksReport report, String name) {
        String quantity = "stuck check " + name + " runs";
        Optional<StuckCheck> check = report.stuck(name);
        return check.map(s -> Reading.of(quantity, s.runs(), Formats.count(s.runs())))
                .orElseGet(() -> Reading.unknown(quantity, "stuck check " + name + SEE_PROBLEMS));
    }

    private Reading sinceSuccess(String job, Instant now) {
        String quantity = "job " + job + " time since success";
        if (history.isEmpty()) {
            return Reading.unknown(quantity, "only the daemon knows when its jobs last succeeded");
        }
        Optional<Instant> last = history.get().lastSuccess(job);
        Duration since = Duration.between(last.orElse(startedAt), now);
        return Reading.of(
                quantity,
                since.toMillis() / 1000.0,
                Formats.age(since) + (last.isPresent() ? "" : " (no success since the start)"));
    }
}
