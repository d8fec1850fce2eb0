package io.runsweep.app.render;

import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.maintenance.FileMaintenance;
import io.runsweep.jobs.maintenance.MaintenanceReport;
import io.runsweep.jobs.maintenance.Step;
import io.runsweep.jobs.maintenance.TableMaintenance;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.TableStats;
import java.util.Locale;

/** Maintenance as a person reads it: each statement, why, what became of it, and the figures before and after. */
public final class MaintenanceText {
    private MaintenanceText() {}

    /** {@code runsweep maintain}'s whole output. */
    public static String render(MaintenanceReport report) {
        StringBuilder out = new StringBuilder();
        if (report.dryRun()) {
            out.append("DRY RUN: nothing was changed. A real run would do the following.\n\n");
        }
        body(out, report, "");
        long steps = report.tables().size()
                + report.file().map(f -> f.steps().size()).orElse(0);
        long failed = report.tables().stream().filter(t -> t.step().failed()).count()
                + report.file().stream()
                        .flatMap(f -> f.steps().stream())
                        .filter(Step::failed)
                        .count();
        out.append(String.format(
                Locale.ROOT,
                "%n%d %s, %d failed or refused,%s %d %s (%s)%n",
                steps,
                steps == 1 ? "statement" : "statements",
                failed,
                report.skipped() > 0 ? " " + report.skipped() + " skipped," : "",
                report.problems().size(),
                report.problems().size() == 1 ? "problem" : "problems",
                Formats.seconds(report.duration())));
        return out.toString();
    }

    /** The statements, notes and problems of {@code report}, each line starting with {@code indent}. */
    public static void body(StringBuilder out, MaintenanceReport report, String indent) {
        for (TableMaintenance table : report.tables()) {
            step(out, table.step(), indent);
            out.append(indent)
                    .append("    ")
                    .append(figures(table.before(), table))
                    .append('\n');
        }
        report.file().ifPresent(file -> file(out, file, indent));
        report.notes()
                .forEach(n -> out.append(indent).append("note: ").append(n).append('\n'));
        report.problems()
                .forEach(p -> out.append(indent).append("PROBLEM: ").append(p).append('\n'));
    }

    private static void file(StringBuilder out, FileMaintenance file, String indent) {
        out.append(indent).append(file.file()).append('\n');
        out.append(indent).append("    before: ").append(figures(file.before())).append('\n');
        file.after()
                .ifPresent(a -> out.append(indent)
                        .append("    after:  ")
                        .append(figures(a))
                        .append('\n'));
        file.steps().forEach(s -> step(out, s, indent + "  "));
    }

    private static void step(StringBuilder out, Step step, String indent) {
        out.append(indent)
                .append(String.format(
                                Locale.ROOT,
                                "%-44s %-10s %s",
                                step.statement(),
                                outcome(step),
                                step.outcome() == Step.Outcome.DONE ? Formats.seconds(step.duration()) : "")
                        .stripTrailing())
                .append('\n');
        out.append(indent).append("    why: ").append(step.reason()).append('\n');
        step.message()
                .ifPresent(m -> out.append(indent).append("    ").append(m).append('\n'));
        step.warnings()
                .forEach(w ->
                        out.append(indent).append("    WARNING: ").append(w).append('\n'));
    }

    private static String outcome(Step step) {
        return switch (step.outcome()) {
            case DONE -> "done";
            case PLANNED -> "would run";
            case REFUSED -> "REFUSED";
            case FAILED -> "FAILED";
            case SKIPPED -> "skipped";
        };
    }

    private static String figures(TableStats before, TableMaintenance table) {
        if (table.after().isEmpty()) {
            return "now: " + Formats.bytes(before.totalBytes()) + ", " + Formats.count(before.deadRows())
                    + " dead rows, " + Formats.count(before.liveRows()) + " live";
        }
        TableStats after = table.after().get();
        return "size " + Formats.bytes(before.totalBytes()) + " -> " + Formats.bytes(after.totalBytes())
                + ", dead rows "
                + Formats.count(before.deadRows()) + " -> " + Formats.count(after.deadRows()) + ", live rows "
                + Formats.count(before.liveRows()) + " -> " + Formats.count(after.liveRows());
    }

    private static String figures(FileStats s) {
        return "file " + Formats.bytes(s.fileBytes()) + ", WAL " + Formats.bytes(s.walBytes()) + ", "
                + Formats.count(s.pageCount()) + " pages of " + s.pageSize() + " bytes, "
                + Formats.count(s.freePages()) + " free (" + Formats.bytes(s.freeBytes()) + "), auto_vacuum "
                + switch (s.autoVacuum()) {
                    case 1 -> "FULL";
                    case FileStats.AUTO_VACUUM_INCREMENTAL -> "INCREMENTAL";
                    default -> "NONE";
                };
    }
}
