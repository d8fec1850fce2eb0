package io.runsweep.jobs.purge;

import io.runsweep.sql.ForeignKey;
import java.util.Locale;
import java.util.Optional;

/** Why a planned policy must not run at all, checked before its first batch. */
final class Refusal {
    private Refusal() {}

    static Optional<String> of(PurgePlan plan, boolean allowLarge) {
        return blocker(plan).or(() -> allowLarge ? Optional.empty() : tooLarge(plan));
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

    private static Optional<String> tooLarge(PurgePlan plan) {
        double most = plan.policy().limits().maxFraction();
        if (plan.fraction() <= most) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "it would delete %.1f%% of \"%s\" (about %,d of %,d rows), more"
                        + " than max-fraction %.2f. If that is intended, raise runsweep.policies.%s.max-fraction or pass"
                        + " --allow-large",
                100 * plan.fraction(),
                plan.table().name(),
                plan.matching(),
                plan.range().rows(),
                most,
                plan.name()));
    }
}
