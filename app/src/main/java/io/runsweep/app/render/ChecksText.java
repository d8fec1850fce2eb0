package io.runsweep.app.render;

import io.runsweep.jobs.alert.AlertState;
import io.runsweep.jobs.checks.ChecksReport;
import io.runsweep.jobs.checks.PolicyCheck;
import io.runsweep.jobs.checks.SnapshotCheck;
import io.runsweep.jobs.checks.StuckCheck;
import io.runsweep.jobs.checks.TableCheck;
import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.TableStats;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The checks as a person reads them: one table per kind of check, then the alerts and the problems. */
public final class ChecksText {
    private ChecksText() {}

    public static String render(ChecksReport report, List<AlertState> alerts) {
        StringBuilder out = new StringBuilder();
        out.append("Checks at ")
                .append(seconds(report.at()))
                .append(" (")
                .append(Formats.seconds(report.duration()))
                .append(")\n\n");
        tables(out, report.tables());
        policies(out, report.policies());
        stuck(out, report.stuck());
        report.file().ifPresent(f -> file(out, f));
        report.snapshot().ifPresent(s -> snapshot(out, s));
        alerts(out, alerts);
        if (!report.problems().isEmpty()) {
            out.append("Problems (these checks could not run):\n");
            report.problems().forEach(p -> out.append("  ").append(p).append('\n'));
        }
        return out.toString();
    }

    private static void tables(StringBuilder out, List<TableCheck> tables) {
        out.append(String.format("%-24s %14s %10s %10s  %s%n", "TABLE", "ROWS", "TOTAL", "DEAD ROWS", "LAST VACUUM"));
        for (TableCheck t : tables) {
            out.append(String.format(
                    "%-24s %14s %10s %10s  %s%n",
                    t.table(),
                    rows(t),
                    Formats.bytes(t.stats().totalBytes()),
                    t.stats().upkeep().map(v -> Formats.count(v.deadRows())).orElse("-"),
                    t.stats().upkeep().map(ChecksText::lastVacuum).orElse("-")));
        }
        out.append("(~ an estimate: PostgreSQL's statistics, for tables of 100,000 rows or more; ? unknown until the"
                + " table is analyzed)\n\n");
    }

    private static String rows(TableCheck t) {
        if (t.stats().rows().isEmpty()) {
            return "?";
        }
        return (t.stats().rowsExact() ? "" : "~")
                + Formats.count(t.stats().rows().getAsLong());
    }

    private static String lastVacuum(TableStats.Upkeep v) {
        return v.lastVacuumed().map(ChecksText::seconds).orElse("never");
    }

    private static void policies(StringBuilder out, List<PolicyCheck> policies) {
        out.append(String.format("%-24s %14s  %s%n", "POLICY", "BACKLOG", "OLDEST ROW AGE"));
        for (PolicyCheck p : policies) {
            out.append(String.format(
                    "%-24s %14s  %s%n",
                    p.policy(),
                    Formats.count(p.backlog()),
                    p.oldestAge().map(Formats::age).orElse("-")));
        }
        out.append("(backlog: rows already past retention; oldest: among the rows the policy could delete)\n\n");
    }

    private static void stuck(StringBuilder out, List<StuckCheck> stuck) {
        if (stuck.isEmpty()) {
            return;
        }
        out.append(String.format("%-24s %14s  %s%n", "STUCK RUNS", "RUNS", "TABLE, FOR OVER"));
        for (StuckCheck s : stuck) {
            out.append(String.format(
                    "%-24s %14s  %s, %s%n", s.name(), Formats.count(s.runs()), s.table(), Formats.age(s.olderThan())));
        }
        out.append('\n');
    }

    private static void file(StringBuilder out, FileStats f) {
        out.append("SQLite file ")
                .append(f.file())
                .append(": ")
                .append(Formats.bytes(f.fileBytes()))
                .append(", ")
                .append(Formats.count(f.pageCount()))
                .append(" pages of ")
                .append(Formats.count(f.pageSize()))
                .append(" bytes, ")
                .append(Formats.count(f.freePages()))
                .append(" free; WAL ")
                .append(Formats.bytes(f.walBytes()))
                .append("\n\n");
    }

    private static void snapshot(StringBuilder out, SnapshotCheck s) {
        out.append("Oldest snapshot (VACUUM cannot remove rows deleted after it): ");
        if (s.oldest().isEmpty()) {
            out.append("none held\n\n");
            return;
        }
        out.append(s.oldest().get().holder().describe())
                .append(", held ")
                .append(s.age().map(Formats::age).orElse("for a time this role may not read"))
                .append("; ")
                .append(Formats.count(s.transactions()))
                .append(s.transactions() == 1 ? " transaction" : " transactions")
                .append(" since its snapshot\n\n");
    }

    private static void alerts(StringBuilder out, List<AlertState> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        out.append("ALERTS\n");
        for (AlertState a : alerts) {
            String status = a.firing() ? "FIRING" : a.value().isPresent() ? "ok" : "unknown";
            out.append(String.format("%-8s %-22s %s%n", status, a.name(), a.message()));
        }
        out.append('\n');
    }

    private static String seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
