package io.runsweep.app.render;

import io.runsweep.jobs.archive.ArchiveListing;
import io.runsweep.jobs.archive.RestoreReport;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.common.JsonWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code archive list} and {@code archive restore}, as a person reads them and as JSON. */
public final class ArchiveText {
    private ArchiveText() {}

    public static String list(List<ArchiveListing> listings) {
        StringBuilder out = new StringBuilder();
        for (ArchiveListing l : listings) {
            out.append("policy ").append(l.policy()).append('\n');
            l.error().ifPresent(e -> out.append("  FAILED: ").append(e).append('\n'));
            l.schema().ifPresent(s -> out.append("  archive schema ").append(s).append(":\n"));
            if (l.schema().isPresent() && l.tables().isEmpty() && l.error().isEmpty()) {
                out.append("    nothing archived yet\n");
            }
            for (ArchiveListing.TableCopies t : l.tables()) {
                out.append(String.format(
                        "    %-22s %-36s %12s rows  %s%n",
                        t.source(), t.archive(), Formats.count(t.rows()), span(t.oldest(), t.newest())));
            }
            l.directory()
                    .ifPresent(d -> out.append("  archive directory ").append(d).append(":\n"));
            if (l.directory().isPresent() && l.runs().isEmpty() && l.error().isEmpty()) {
                out.append("    nothing archived yet\n");
            }
            for (ArchiveListing.RunFiles r : l.runs()) {
                out.append(String.format(
                        "    run %s  %3d files %12s rows %10s  %s%n",
                        r.run(),
                        r.files(),
                        Formats.count(r.rows()),
                        Formats.bytes(r.bytes()),
                        r.complete()
                                ? "ended"
                                : "interrupted (no manifest)"
                                        + (r.leftOver() > 0
                                                ? "; " + Formats.bytes(r.leftOver())
                                                        + " cut short at the end of its files, never committed"
                                                : "")));
                r.problems()
                        .forEach(p -> out.append("      PROBLEM: ").append(p).append('\n'));
            }
        }
        return out.toString();
    }

    private static String span(Optional<Instant> oldest, Optional<Instant> newest) {
        return oldest.isEmpty() ? "" : "archived " + oldest.get() + " to " + newest.orElseThrow();
    }

    public static String listJson(List<ArchiveListing> listings) {
        JsonWriter json = new JsonWriter().beginArray();
        for (ArchiveListing l : listings) {
            json.beginObject()
                    .field("policy", l.policy())
                    .field("schema", l.schema().orElse(null))
                    .field("directory", l.directory().orElse(null))
                    .field("error", l.error().orElse(null))
                    .name("tables")
                    .beginArray();
            for (ArchiveListing.TableCopies t : l.tables()) {
                json.beginObject()
                        .field("table", t.source())
                        .field("archive_table", t.archive())
                        .field("rows", t.rows())
                        .field(
                                "oldest_archived_at",
                                t.oldest().map(Instant::toString).orElse(null))
                        .field(
                                "newest_archived_at",
                                t.newest().map(Instant::toString).orElse(null))
                        .endObject();
            }
            json.endArray().name("runs").beginArray();
            for (ArchiveListing.RunFiles r : l.runs()) {
                json.beginObject()
                        .field("run", r.run())
                        .field("started_at", r.started().toString())
                        .field("complete", r.complete())
                        .field("files", r.files())
                        .field("rows", r.rows())
                        .field("bytes", r.bytes())
                        .field("left_over_bytes", r.leftOver())
                        .name("problems")
                        .beginArray();
                r.problems().forEach(json::value);
                json.endArray().endObject();
            }
            json.endArray().endObject();
        }
        return json.endArray() + "\n";
    }

    public static String restore(RestoreReport report) {
        StringBuilder out = new StringBuilder();
        if (report.dryRun()) {
            out.append("DRY RUN: nothing was changed. A real restore would do the following.\n");
        }
        out.append("policy ")
                .append(report.policy())
                .append(", from its archive ")
                .append(report.from())
                .append(":\n");
        for (RestoreReport.Table t : report.tables()) {
            out.append(String.format(
                    "  %-22s %12s archived  %12s %s  %12s already there%n",
                    t.table(),
                    Formats.count(t.archived()),
                    Formats.count(t.restored()),
                    report.dryRun() ? "would go back" : "put back     ",
                    t.present() < 0 ? "?" : Formats.count(t.present())));
            if (!t.droppedColumns().isEmpty()) {
                out.append("    columns the table no longer has, not put back: ")
                        .append(String.join(", ", t.droppedColumns()))
                        .append('\n');
            }
        }
        report.error().ifPresent(e -> out.append("FAILED: ").append(e).append('\n'));
        return out.toString();
    }

    public static String restoreJson(RestoreReport report) {
        JsonWriter json = new JsonWriter()
                .beginObject()
                .field("policy", report.policy())
                .field("from", report.from())
                .field("dry_run", report.dryRun())
                .field("error", report.error().orElse(null))
                .name("tables")
                .beginArray();
        for (RestoreReport.Table t : report.tables()) {
            json.beginObject()
                    .field("table", t.table())
                    .field("archived", t.archived())
                    .field("restored", t.restored())
                    .field("present", t.present() < 0 ? null : t.present())
                    .name("dropped_columns")
                    .beginArray();
            t.droppedColumns().forEach(json::value);
            json.endArray().endObject();
        }
        return json.endArray().endObject() + "\n";
    }
}
