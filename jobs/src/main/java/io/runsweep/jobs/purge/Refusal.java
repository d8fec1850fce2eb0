package io.runsweep.jobs.purge;

import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.TableName;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why a planned policy must not run at all, judged before its first batch from what the run would reach: a
 * privilege its role lacks; a NO ACTION or RESTRICT key that would fail a batch; a cascade that would take rows
 * another policy keeps; and what is almost surely a mistake (a cutoff later than the database's clock, times
 * that read as before 2000, a whole table emptied, more than max-fraction of a table), which
 * {@code allow-large-until} or {@code --allow-large} lets through.
 */
final class Refusal {
    /** Scheduler history starts after this; a newest time before it means another unit, or not a time at all. */
    static final Instant PLAUSIBLE_FROM = Instant.parse("2000-01-01T00:00:00Z");

    private Refusal() {}

    static Optional<String> of(Preflight preflight, boolean allowLarge) {
        PurgePlan plan = preflight.plan();
        boolean largeAllowed = allowLarge || plan.policy().limits().largeAllowedAt(plan.plannedAt());
        return privileges(preflight)
                .or(() -> blocker(plan))
                .or(() -> conflict(preflight))
                .or(() -> largeAllowed ? Optional.empty() : mistake(preflight));
    }

    private static Optional<String> privileges(Preflight preflight) {
        if (preflight.missing().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                preflight.missing().stream().map(Privileges.Missing::describe).collect(Collectors.joining("; "))
                        + ". Nothing was deleted");
    }

    /** A NO ACTION or RESTRICT key would fail the first batch that meets a referenced row. */
    private static Optional<String> blocker(PurgePlan plan) {
        if (plan.blockers().isEmpty()) {
            return Optional.empty();
        }
        ForeignKey fk = plan.blockers().get(0);
        return Optional.of(String.format(
                Locale.ROOT,
                "\"%s\".\"%s\" refers to \"%s\" through foreign key %s (ON DELETE"
                        + " %s), so deleting a row it still refers to would fail. Add unreferenced-by = [{table = \"%s\","
                        + " column = \"%s\"}] to the policy (%s) to take only rows nothing refers to, or delete the referring"
                        + " rows first",
                fk.child(),
                fk.childColumn(),
                fk.parent(),
                fk.name(),
                fk.onDelete().sql(),
                fk.child().name(),
                fk.childColumn(),
                plan.policy().location()));
    }

    private static Optional<String> conflict(Preflight preflight) {
        PurgePlan plan = preflight.plan();
        if (plan.policy().limits().allowCascadeConflicts()) {
            return Optional.empty();
        }
        return preflight.kept().stream().filter(k -> k.kept() > 0).findFirst().map(k -> conflictMessage(plan, k));
    }

    private static String conflictMessage(PurgePlan plan, Preflight.Kept kept) {
        PurgePlan.Cascade cascade = kept.conflict().cascade();
        return "its cascade through foreign key " + CascadeWording.path(cascade) + " would delete "
                + (kept.reached().estimated() ? "about " : "")
                + Formats.count(kept.reached().rows()) + " \""
                + cascade.table() + "\" rows, " + Formats.count(kept.kept()) + " of which "
                + CascadeWording.keeping(kept.conflict()) + ". " + CascadeWording.fix(plan, cascade);
    }

    private static Optional<String> mistake(Preflight preflight) {
        PurgePlan plan = preflight.plan();
        List<String> reasons = new ArrayList<>();
        futureCutoff(preflight).ifPresent(reasons::add);
        implausibleTimes(preflight).ifPresent(reasons::add);
        for (TableName table : preflight.emptied()) {
            reasons.add("it would delete every row of \"" + table + "\"");
        }
        if (!reasons.isEmpty()) {
            return Optional.of(String.join("; ", reasons)
                    + ". That is almost surely a mistake (an older-than too short, a time column in another unit,"
                    + " a clock that is wrong). If it is intended, " + letThrough(plan));
        }
        return tooLarge(preflight)
                .map(over -> over + ". If that is intended, raise runsweep.policies." + plan.name()
                        + ".max-fraction, or " + letThrough(plan));
    }

    private static String letThrough(PurgePlan plan) {
        String until = plan.plannedAt()
                .plus(Duration.ofDays(1))
                .truncatedTo(ChronoUnit.HOURS)
                .toString();
        return "let it through once: set runsweep.policies." + plan.name() + ".allow-large-until = \"" + until
                + "\" (it lapses by itself), or pass --allow-large to runsweep sweep";
    }

    private static Optional<String> futureCutoff(Preflight preflight) {
        Instant cutoff = preflight.plan().cutoff();
        if (!cutoff.isAfter(preflight.clock())) {
            return Optional.empty();
        }
        return Optional.of("its cutoff, " + cutoff.truncatedTo(ChronoUnit.SECONDS) + ", is later than the database's"
                + " own clock (" + preflight.clock().truncatedTo(ChronoUnit.SECONDS) + "): every row written so far"
                + " would count as old");
    }

    private static Optional<String> implausibleTimes(Preflight preflight) {
        List<String> columns = new ArrayList<>();
        for (Map.Entry<String, Instant> e : preflight.newest().entrySet()) {
            if (e.getValue().isBefore(PLAUSIBLE_FROM)) {
                columns.add("the newest \"" + e.getKey() + "\" reads as " + e.getValue());
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" and ", columns) + ", before 2000: the column holds time in another unit"
                + " (milliseconds, microseconds) or is not a time, so every row would count as old");
    }

    private static Optional<String> tooLarge(Preflight preflight) {
        PurgePlan plan = preflight.plan();
        double most = plan.policy().limits().maxFraction();
        if (most >= 1.0) {
            return Optional.empty();
        }
        List<String> over = new ArrayList<>();
        if (plan.fraction() > most) {
            over.add(share(
                    plan.table().name(), plan.matching().rows(), plan.range().rows()));
        }
        for (Preflight.Reached r : preflight.reached()) {
            long total = r.tableRows().orElse(0L);
            if (total > 0 && (double) r.rows().rows() / total > most) {
                over.add(share(r.table(), r.rows().rows(), total));
            }
        }
        if (over.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT, "it would delete %s, more than max-fraction %.2f", String.join(" and ", over), most));
    }

    private static String share(TableName table, long rows, long total) {
        return String.format(
                Locale.ROOT,
                "%.1f%% of \"%s\" (about %s of %s rows)",
                100.0 * Math.min(rows, total) / total,
                table,
                Formats.count(rows),
                Formats.count(total));
    }
}
