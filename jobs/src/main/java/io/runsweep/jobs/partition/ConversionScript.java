package io.runsweep.jobs.partition;

import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.ConversionFacts;
import io.runsweep.sql.postgresql.PostgresConversion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The steps of a conversion plan: the new table, its partitions, the copy in batches, the table's own
 * foreign keys, the swap in one short transaction, and what to do after.
 */
final class ConversionScript {
    private final Conversion c;
    private final ConversionFacts facts;
    private final PostgresConversion sql;
    private final PlanText out;

    private ConversionScript(Conversion c, PostgresConversion sql, PlanText out) {
        this.c = c;
        this.facts = c.facts();
        this.sql = sql;
        this.out = out;
    }

    static void write(Conversion conversion, PostgresConversion sql, PlanText out) {
        ConversionScript script = new ConversionScript(conversion, sql, out);
        List<Instant> starts = conversion.partitionStarts();
        script.newTable();
        script.partitions(starts);
        script.copies(starts);
        script.foreignKeys();
        script.swap();
        script.afterwards();
    }

    /** LIKE ... INCLUDING ALL, unless an index it would copy is unique without the partition key. */
    private void newTable() {
        boolean indexesValid = facts.indexes().stream().allMatch(i -> !i.unique() || c.includesKey(i));
        out.step(
                1,
                "The new table, with the columns, defaults, constraints, identity and storage of "
                        + c.source().quoted()
                        + (indexesValid
                                ? " and its indexes."
                                : "; its indexes are made one by one, named by" + " the server."));
        out.statement(sql.createLike(c.target(), c.source(), facts.key(), indexesValid));
        if (!indexesValid) {
            for (ConversionFacts.Index index : facts.indexes()) {
                if (index.primary()) {
                    out.statement(sql.addPrimaryKey(c.target(), c.withKey(index.columns())));
                } else if (!index.unique() || c.includesKey(index)) {
                    out.statement(sql.createIndex(c.target(), index));
                }
            }
        }
        out.blank();
    }

    private void partitions(List<Instant> starts) {
        String unit = switch (c.interval()) {
            case DAILY -> "day";
            case WEEKLY -> "week";
            case MONTHLY -> "month";
        };
        out.step(
                2,
                "Its " + starts.size() + " partitions: from the oldest row's " + unit + " to " + c.premake() + " "
                        + unit + "(s) past the newest row's or the current one, whichever is later.");
        for (Instant start : starts) {
            out.statement(sql.createPartition(
                    c.target(),
                    c.source().name() + Intervals.suffix(c.interval(), start),
                    facts.key(),
                    start,
                    Intervals.plus(c.interval(), start, 1)));
        }
        if (facts.nullKeys() > 0) {
            out.statement(sql.createDefaultPartition(c.target(), c.source().name() + "_default"));
        }
        out.blank();
    }

    private void copies(List<Instant> starts) {
        Instant cutover = c.cutover();
        out.step(
                3,
                "The copy of the rows before " + cutover + ", a partition's range per statement; each commits on"
                        + " its own.");
        for (Instant start : starts) {
            Instant end = Intervals.plus(c.interval(), start, 1);
            if (start.isBefore(cutover)) {
                Instant to = end.isAfter(cutover) ? cutover : end;
                out.statement(sql.copy(facts, c.target(), Optional.of(start), Optional.of(to), false));
            }
        }
        out.blank();
    }

    private void foreignKeys() {
        if (facts.foreignKeys().isEmpty()) {
            return;
        }
        out.step(4, "The foreign keys of " + c.source().quoted() + ", on the new table.");
        facts.foreignKeys().forEach(fk -> out.statement(sql.addConstraint(c.target(), fk)));
        out.blank();
    }

    private void swap() {
        TableName source = c.source();
        out.step(
                5,
                "The swap, in one short transaction: the rows from " + c.cutover() + " on, then the names. It gives"
                        + " up rather than queue behind the application; run it again then.");
        out.statement("BEGIN");
        out.statement(sql.setLocalLockTimeout(c.lockTimeout()));
        out.statement(sql.lockExclusively(source));
        out.statement(sql.copy(facts, c.target(), Optional.of(c.cutover()), Optional.empty(), facts.nullKeys() > 0));
        facts.identity().forEach(column -> out.statement(sql.restartIdentity(c.target(), column)));
        facts.referencedBy().forEach(fk -> out.statement(sql.dropConstraint(fk)));
        out.statement(sql.rename(source, c.old().name()));
        out.statement(sql.rename(c.target(), source.name()));
        facts.serials().forEach(s -> out.statement(sql.ownSequence(s, source)));
        out.statement("COMMIT");
        out.blank();
    }

    private void afterwards() {
        out.step(
                6,
                "Once the application works on the new table: drop the old one, and let Runsweep keep the"
                        + " partitions, e.g. with");
        out.comment("   DROP TABLE " + c.old().quoted() + ";");
        out.comment("   runsweep.partitions.<name> { table = \"" + c.source() + "\", column = \""
                + facts.key().name() + "\", interval = " + c.interval().word() + ", retention = <intervals to keep> }");
    }
}
