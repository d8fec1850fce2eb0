package io.runsweep.app.render;

import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.partition.PartitionReport;
import io.runsweep.jobs.partition.PartitionRunReport;
import io.runsweep.jobs.partition.StepResult;

/** A partition run as a person reads it: per set, each statement and what became of it, then the findings. */
public final class PartitionText {
    private PartitionText() {}

    public static String render(PartitionRunReport report) {
        StringBuilder out = new StringBuilder();
        if (report.dryRun()) {
            out.append("DRY RUN: nothing was changed. A real run would run these statements.\n\n");
        }
        for (PartitionReport set : report.sets()) {
            set(out, set, report.dryRun());
        }
        long failed = report.sets().stream()
                .filter(s -> s.outcome() == PartitionReport.Outcome.FAILED)
                .count();
        out.append(String.format(
                "%d partition %s, %d failed (%s)%n",
                report.sets().size(),
                report.sets().size() == 1 ? "set" : "sets",
                failed,
                Formats.seconds(report.duration())));
        return out.toString();
    }

    private static void set(StringBuilder out, PartitionReport set, boolean dryRun) {
        out.append("partition set ")
                .append(set.name())
                .append(" (table ")
                .append(set.table())
                .append(")\n");
        set.expireBefore()
                .ifPresent(e -> out.append("  expires partitions that end at or before ")
                        .append(e)
                        .append('\n'));
        if (set.steps().isEmpty() && set.error().isEmpty()) {
            out.append("  nothing to do\n");
        }
        for (io.runsweep.jobs.partition.PartitionPlan.Expiring e : set.expiring()) {
            out.append(String.format(
                    "  past retention: %-30s %12s rows %10s  (%s)%n",
                    e.partition(),
                    (e.rowsEstimated() ? "~" : "") + Formats.count(e.rows()),
                    Formats.bytes(e.bytes()),
                    dryRun ? "would " + e.fate() : e.fate()));
        }
        for (StepResult step : set.steps()) {
            out.append("  ").append(step.sql()).append(";\n");
            if (!dryRun) {
                out.append("    -- ").append(outcome(step)).append('\n');
            }
        }
        set.error().ifPresent(e -> out.append("  FAILED: ").append(e).append('\n'));
        if (set.expireBefore().isPresent()) {
            out.append(String.format(
                    "  future partitions: %d of %d; default partition: %s%n",
                    set.futurePartitions(),
                    set.premake(),
                    set.defaultPartition()
                            .map(d -> d + " (" + Formats.count(set.defaultRows()) + " rows)")
                            .orElse("none")));
        }
        set.findings().forEach(f -> out.append("  WARNING: ").append(f).append('\n'));
        out.append('\n');
    }

    private static String outcome(StepResult step) {
        String retried = step.retries().isEmpty()
                ? ""
                : " (" + step.retries().size() + (step.retries().size() == 1 ? " retry" : " retries")
                        + " after lock timeouts)";
        return switch (step.status()) {
            case DONE -> "done in " + step.attempts() + (step.attempts() == 1 ? " attempt" : " attempts") + retried;
            case FAILED ->
                "FAILED after " + step.attempts() + (step.attempts() == 1 ? " attempt" : " attempts") + ": "
                        + step.error().orElse("");
            case SKIPPED -> "skipped, " + step.error().orElse("");
            case PLANNED -> "planned";
        };
    }
}
