package io.runsweep.app.render;

import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PolicyReport.TableRows;
import io.runsweep.jobs.sweep.SweepReport;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** A sweep as a person reads it: one line per policy and table, and for a dry run the plan behind it. */
public final class SweepText {
    private SweepText() {}

    public static String render(SweepReport report) {
        StringBuilder out = new StringBuilder();
        if (report.dryRun()) {
            out.append("DRY RUN: nothing was changed. A real run would do the following.\n")
                    .append("Each policy is counted on its own: rows that an earlier policy takes (a run's logs, an\n")
                    .append(
                            "event's resources) are counted again by a later one, and a real run deletes them once.\n\n");
        }
        for (PolicyReport policy : report.policies()) {
            if (report.dryRun()) {
                preview(out, policy);
            } else {
                result(out, policy);
            }
        }
        maintenance(out, report);
        long failed = report.policies().stream()
                .filter(p -> p.outcome() == PolicyReport.Outcome.FAILED)
                .count();
        if (!report.notRun().isEmpty()) {
            out.append(String.format(
                    "%nnot run, stopped by %s: %s%n",
                    report.stoppedBy().orElse("a stop"), String.join(", ", report.notRun())));
        }
        int selected = report.policies().size() + report.notRun().size();
        out.append(String.format(
                "%n%d %s, %d failed%s (%s)%n",
                selected,
                selected == 1 ? "policy" : "policies",
                failed,
                report.notRun().isEmpty() ? "" : ", " + report.notRun().size() + " not run",
                Formats.seconds(report.duration())));
        return out.toString();
    }

    /** The VACUUMs that followed policies (PostgreSQL), or in a dry run would follow them. */
    private static void maintenance(StringBuilder out, SweepReport report) {
        for (MaintenanceReport maintenance : report.maintenance()) {
            out.append('\n')
                    .append(report.dryRun() ? "a real run would then maintain, " : "maintenance, ")
                    .append(maintenance.cause())
                    .append(":\n");
            MaintenanceText.body(out, maintenance, "  ");
        }
    }

    private static void result(StringBuilder out, PolicyReport policy) {
        if (policy.outcome() == PolicyReport.Outcome.FAILED) {
            out.append(String.format(
                    "%-18s FAILED  %s%n", policy.policy(), policy.error().orElse("")));
        }
        for (TableRows table : policy.tables()) {
            out.append(String.format(
                    "%-18s %-22s %12s %-4s  %5d %-7s  %s%n",
                    policy.policy(),
                    table.table(),
                    Formats.count(table.rows()),
                    Formats.noun(table.rows(), "row", "rows"),
                    policy.batches(),
                    Formats.noun(policy.batches(), "batch", "batches"),
                    Formats.seconds(policy.duration())));
        }
        policy.archive()
                .ifPresent(a -> out.append(String.format(
                        "%-18s archived %s rows (%s) to %s%n",
                        policy.policy(),
                        Formats.count(a.totalRows()),
                        Formats.bytes(a.bytes()),
                        String.join(", ", a.destinations()))));
        if (!policy.throttled().isZero()) {
            out.append(String.format(
                    "%-18s throttled %s (waiting for replicas or for sessions its locks held up)%n",
                    policy.policy(), Formats.seconds(policy.throttled())));
        }
        policy.stop()
                .ifPresent(s -> out.append(String.format(
                        "%-18s stopped at %s%s%n",
                        policy.policy(),
                        s.reason(),
                        s.remaining() < 0
                                ? ""
                                : "; about " + Formats.count(s.remaining())
                                        + " matching rows remain for the next run")));
        policy.runNotes().forEach(note -> out.append(String.format("%-18s note: %s%n", policy.policy(), note)));
    }

    private static void preview(StringBuilder out, PolicyReport policy) {
        out.append("policy ")
                .append(policy.policy())
                .append(" (table ")
                .append(policy.table())
                .append(")\n");
        policy.cutoff()
                .ifPresent(c -> out.append("  cutoff: rows older than ")
                        .append(DateTimeFormatter.ISO_INSTANT.format(c.truncatedTo(ChronoUnit.SECONDS)))
                        .append('\n'));
        if (policy.outcome() == PolicyReport.Outcome.FAILED) {
            out.append("  FAILED: ").append(policy.error().orElse("")).append("\n\n");
            return;
        }
        policy.notes().forEach(note -> out.append("  ").append(note).append('\n'));
        out.append("  rows that would go:\n");
        for (TableRows table : policy.tables()) {
            String how = switch (table.how()) {
                case DEPENDENT -> "same batch, by " + table.table() + "." + table.via();
                case CASCADE -> "by the database's cascade, " + table.via();
                case MATCHED -> "matched by the policy";
            };
            out.append(String.format(
                    "    %-22s %12s  (%s)%n",
                    table.table(), (table.estimated() ? "about " : "") + Formats.count(table.rows()), how));
        }
        policy.archive()
                .ifPresent(a -> out.append("  every row above would first be copied to ")
                        .append(String.join(" and ", a.destinations()))
                        .append(" (")
                        .append(Formats.count(a.totalRows()))
                        .append(" rows)\n"));
        out.append("  statements:\n");
        for (PolicyReport.PlannedStatement statement : policy.statements()) {
            out.append("    -- ").append(statement.purpose()).append('\n');
            out.append("    ").append(statement.sql().replace("\n", "\n    ")).append('\n');
            out.append("    -- plan: ").append(statement.index()).append('\n');
        }
        out.append('\n');
    }
}
