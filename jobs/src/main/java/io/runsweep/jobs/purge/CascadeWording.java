package io.runsweep.jobs.purge;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.ForeignKey;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a cascade into another policy's table is put into words, one way for the refusal of a run, the summary
 * before its first batch and the review: the path of foreign keys, what the other policy keeps, and the fix.
 */
public final class CascadeWording {
    private CascadeWording() {}

    public static String path(PurgePlan.Cascade cascade) {
        ForeignKey key = cascade.foreignKey();
        String last = key.name() + " (\"" + key.child() + "\".\"" + key.childColumn() + "\" ON DELETE CASCADE)";
        return cascade.first().equals(key) ? last : cascade.first().name() + " and on through " + last;
    }

    /** Waiting for the first key of the path stops the whole cascade; the other way is the opt-in. */
    public static String fix(PurgePlan plan, PurgePlan.Cascade cascade) {
        ForeignKey first = cascade.first();
        return "Add unreferenced-by = [{table = \"" + first.child() + "\", column = \"" + first.childColumn()
                + "\"}] to policy " + plan.name() + " (" + plan.policy().location() + "), so that it deletes only \""
                + plan.table().name() + "\" rows no \"" + first.child() + "\" row refers to; or set"
                + " allow-cascade-conflicts = true on it to let its cascades take them";
    }

    /** What the keepers keep, as their settings say it. */
    public static String keeping(PurgePlan.Conflict conflict) {
        return (conflict.keepers().size() == 1 ? "policy " : "policies ") + names(conflict.keepers()) + " keep"
                + (conflict.keepers().size() == 1 ? "s" : "") + " ("
                + conflict.keepers().stream().map(CascadeWording::deletesOnly).collect(Collectors.joining("; ")) + ")";
    }

    public static String names(List<PolicySettings> policies) {
        List<String> names = policies.stream().map(PolicySettings::name).toList();
        return names.size() == 1
                ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private static String deletesOnly(PolicySettings p) {
        StringBuilder text = new StringBuilder(p.name())
                .append(" deletes only rows whose \"")
                .append(p.timeColumn())
                .append("\" is older than ")
                .append(Formats.configDuration(p.olderThan()));
        p.timeColumnFallback()
                .ifPresent(f ->
                        text.append(" (where it is NULL, whose \"").append(f).append("\" is)"));
        p.statuses()
                .ifPresent(s -> text.append(" and whose \"")
                        .append(s.column())
                        .append("\" is ")
                        .append(s.values().size() == 1 ? "" : "one of ")
                        .append(s.values().stream().map(String::valueOf).collect(Collectors.joining(", "))));
        p.whereNull().forEach(c -> text.append(" and whose \"").append(c).append("\" is NULL"));
        return text.toString();
    }
}
