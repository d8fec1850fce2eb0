package io.runsweep.jobs.partition;

import static io.runsweep.jobs.partition.PlanText.names;
import static io.runsweep.jobs.partition.PlanText.quoted;

import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.Column;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.ConversionFacts;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/** The head of a conversion plan: what the table is, what copying it costs, and what converting it changes. */
final class ConversionNotes {
    /**
     * Copy speed the time estimate assumes. Measured here: 300,000 rows of a Milvaion-shaped occurrence table
     * (~500 bytes a row, four indexes) copied into monthly partitions at ~90,000 rows/s on two shared cores
     * of PostgreSQL 15; half that leaves room for a busier or slower server.
     */
    static final int ASSUMED_ROWS_PER_SECOND = 50_000;
    /** The copy's new heap and indexes, against the old table's total: a fresh copy has no bloat (measured 1.03). */
    static final double DISK_FACTOR = 1.1;

    private final Conversion c;
    private final ConversionFacts facts;
    private final PlanText out;

    private ConversionNotes(Conversion c, PlanText out) {
        this.c = c;
        this.facts = c.facts();
        this.out = out;
    }

    static void write(Conversion conversion, PlanText out) {
        ConversionNotes notes = new ConversionNotes(conversion, out);
        notes.header();
        notes.notes();
    }

    private void header() {
        Column key = facts.key();
        TableName source = c.source();
        out.comment("Runsweep partition plan for " + source.quoted() + ": "
                + c.interval().word() + " range partitions by " + key.quoted() + ".");
        out.comment("Printed by \"runsweep partition plan\" at " + c.now().truncatedTo(ChronoUnit.SECONDS)
                + ". Runsweep has run none of it: review it, then");
        out.comment("run it yourself a step at a time (psql -v ON_ERROR_STOP=1), at a quiet hour.");
        out.comment("");
        out.comment(source.quoted() + " now: " + Formats.count(facts.rows(), "row") + " ("
                + (facts.rowsCounted() ? "counted" : "the planner's estimate") + "), "
                + Formats.bytes(facts.totalBytes()) + " with its indexes and TOAST.");
        out.comment("  " + key.quoted()
                + (facts.minKey().isEmpty()
                        ? " holds no value yet"
                        : " runs from " + facts.minKey().get() + " to "
                                + facts.maxKey().get())
                + (facts.nullKeys() == 0
                        ? "; no row has it NULL."
                        : "; " + Formats.count(facts.nullKeys(), "row") + (facts.nullKeys() == 1 ? " has" : " have")
                                + " it NULL."));
        out.comment("Estimate: the copy (steps 3 and 5) takes " + duration(facts.rows()) + " at an assumed "
                + Formats.count(ASSUMED_ROWS_PER_SECOND) + " rows/s (the first");
        out.comment("  statement of step 3 shows the real rate); the new table needs about "
                + Formats.bytes(Math.round(facts.totalBytes() * DISK_FACTOR)) + " more disk until the old");
        out.comment("  one is dropped (" + DISK_FACTOR + " x pg_total_relation_size).");
        out.comment("");
    }

    private void notes() {
        out.comment("Notes:");
        keys();
        references();
        if (!facts.foreignKeys().isEmpty()) {
            out.note(
                    "The table's own foreign keys are added to the new table after the copy (step 4); each reads the new"
                            + " table once to check it.");
        }
        sequences();
        if (!facts.generated().isEmpty()) {
            out.note("The generated column " + names(facts.generated()) + " is computed again on insert, not copied.");
        }
        if (facts.nullKeys() > 0) {
            boolean one = facts.nullKeys() == 1;
            out.note(Formats.count(facts.nullKeys(), "row") + (one ? " has" : " have") + " no "
                    + facts.key().quoted() + (one ? ": it goes" : ": they go") + " to the default partition "
                    + quoted(c.source().name() + "_default")
                    + ", which also rules out DETACH ... CONCURRENTLY. Give " + (one ? "it" : "them") + " a"
                    + " value and drop it.");
        }
        if (facts.triggers() > 0) {
            out.note(facts.triggers() + " trigger(s) on " + c.source().quoted()
                    + " are not carried over: create them again" + " on the new table (pg_get_triggerdef shows them).");
        }
        out.note("Rows written to " + c.source().quoted() + " after their statement of step 3 ran are not in the new"
                + " table: step 5 copies the rows from " + c.cutover()
                + " on under an exclusive lock, but older rows that"
                + " may still change need the application stopped from step 3 on. Grants, row security policies and views"
                + " are not carried over; views keep reading the old table.");
        out.blank();
    }

    /** A partitioned table's primary key and unique indexes must include the partition key. */
    private void keys() {
        List<String> primaryKey = facts.table().primaryKey();
        if (!primaryKey.isEmpty() && !primaryKey.contains(facts.key().name())) {
            out.note("The primary key " + names(primaryKey) + " does not include "
                    + facts.key().quoted() + ", which a"
                    + " partitioned table's must: the new table's is " + names(c.withKey(primaryKey)) + ", so "
                    + names(primaryKey) + " alone is unique only within a partition from then on.");
        }
        for (ConversionFacts.Index index : facts.indexes()) {
            if (index.unique() && !index.primary() && !c.includesKey(index)) {
                out.note("The unique index " + quoted(index.name()) + " " + names(index.columns())
                        + " does not include "
                        + facts.key().quoted()
                        + ", which every unique index of a partitioned table must: it is not carried"
                        + " over. Add it again with " + facts.key().quoted() + " if a narrower guarantee will do.");
            }
        }
    }

    private void references() {
        if (facts.referencedBy().isEmpty()) {
            return;
        }
        out.note("Foreign keys point at " + c.source().quoted() + ": "
                + facts.referencedBy().stream()
                        .map(k -> k.table().quoted() + "." + quoted(k.name()) + " (" + k.definition() + ")")
                        .collect(Collectors.joining(", "))
                + ". Renamed, the old table keeps them, and the children of new rows"
                + " would fail them, so step 5 drops them. They cannot point at the new table: a foreign key needs a unique"
                + " key on what it references, and there that key must include "
                + facts.key().quoted() + ". Their ON"
                + " DELETE actions go with them: to delete the children with their rows, give the retention policy"
                + " \"dependents\".");
    }

    private void sequences() {
        if (!facts.identity().isEmpty()) {
            out.note("The identity column " + names(facts.identity()) + " gets a sequence of its own on the new table;"
                    + " step 5 moves it past the copied values.");
        }
        facts.serials()
                .forEach(s -> out.note("The sequence " + s.sequence().quoted() + " belongs to "
                        + c.source().quoted() + "." + quoted(s.column())
                        + "; step 5 hands it to the new table, or dropping the old"
                        + " one would drop it."));
    }

    private static String duration(long rows) {
        long seconds = Math.round((double) rows / ASSUMED_ROWS_PER_SECOND);
        if (seconds < 1) {
            return "under a second";
        }
        if (seconds < 120) {
            return "about " + seconds + " s";
        }
        return seconds < 7200
                ? "about " + Math.round(seconds / 60.0) + " min"
                : "about " + Math.round(seconds / 3600.0) + " h";
    }
}
