package io.runsweep.jobs.partition;

import io.runsweep.config.PartitionSettings.Interval;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.sql.Column;
import io.runsweep.sql.PartitionedTable;
import io.runsweep.sql.PostgresConversion;
import io.runsweep.sql.PostgresPartitions;
import io.runsweep.sql.TableFacts;
import io.runsweep.sql.TableInfo;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the plan that converts an unpartitioned PostgreSQL table to range partitions, for a person to
 * review and run: the new table, its partitions, a copy in batches, and a swap of names in one short
 * transaction, with notes on what the conversion changes and an estimate of its time and disk. Reads the
 * table, runs nothing.
 */
public final class ConversionPlanner {
  /**
   * Copy speed the time estimate assumes. Measured here: 300,000 rows of a Milvaion-shaped occurrence table
   * (~500 bytes a row, four indexes) copied into monthly partitions at ~90,000 rows/s on two shared cores
   * of PostgreSQL 15; half that leaves room for a busier or slower server.
   */
  static final int ASSUMED_ROWS_PER_SECOND = 50_000;
  /** The copy's new heap and indexes, against the old table's total: a fresh copy has no bloat (measured 1.03). */
  static final double DISK_FACTOR = 1.1;
  private static final Set<Column.Category> TIME_KEYS =
      Set.of(Column.Category.TIMESTAMP_TZ, Column.Category.TIMESTAMP, Column.Category.DATE);
  private static final int MAX_NAME_LENGTH = 63;
  /** Characters of comment text per line, after "-- ". */
  private static final int WIDTH = 100;

  private final PostgresPartitions partitions = new PostgresPartitions();
  private final PostgresConversion conversion = new PostgresConversion();

  /** The plan for {@code table}, partitioned by {@code column}, with {@code premake} partitions ahead of now. */
  public String plan(Connection connection, TableName table, String column, Interval interval, int premake,
      Duration lockTimeout, Instant now) throws SQLException {
    PartitionedTable current = partitions.describe(connection, table)
        .orElseThrow(() -> new PlanException("table \"" + table + "\" does not exist in the database"));
    if (current.strategy() != PartitionedTable.Strategy.NONE) {
      throw new PlanException("table \"" + current.name() + "\" is already partitioned (by "
          + current.strategy().name().toLowerCase(Locale.ROOT) + " on " + current.keyColumns() + ")");
    }
    Column key = key(current.table(), column);
    checkNames(current.name(), interval);
    TableFacts facts = conversion.facts(connection, current.table(), key);
    return new Writer(facts, interval, premake, lockTimeout, now).write();
  }

  private static Column key(TableInfo table, String column) {
    Column key = table.column(column).orElseThrow(() -> new PlanException("table \"" + table.name()
        + "\" has no column \"" + column + "\"; its columns are " + table.columns().stream().map(Column::name).toList()));
    if (!TIME_KEYS.contains(key.category())) {
      throw new PlanException("column \"" + key.name() + "\" of \"" + table.name() + "\" is of type " + key.typeName()
          + "; Runsweep partitions by timestamptz, timestamp or date");
    }
    return key;
  }

  private static void checkNames(TableName table, Interval interval) {
    int longest = Math.max("_unpartitioned".length(), Intervals.suffix(interval, Instant.EPOCH).length());
    if (table.name().length() + longest > MAX_NAME_LENGTH) {
      throw new PlanException("table name \"" + table.name() + "\" is too long for the plan's names (\""
          + table.name() + "_unpartitioned\" and its partitions' must fit in " + MAX_NAME_LENGTH + " characters)");
    }
  }

  /** One plan's text, written top to bottom. */
  private final class Writer {
    private final TableFacts facts;
    private final Interval interval;
    private final int premake;
    private final Duration lockTimeout;
    private final Instant now;
    private final TableName source;
    private final TableName target;
    private final Instant cutover;
    private final StringBuilder out = new StringBuilder();

    Writer(TableFacts facts, Interval interval, int premake, Duration lockTimeout, Instant now) {
      this.facts = facts;
      this.interval = interval;
      this.premake = premake;
      this.lockTimeout = lockTimeout;
      this.now = now;
      this.source = facts.table().name();
      this.target = sibling("_partitioned");
      // Rows from the start of today on are copied inside the swap, under its lock, with whatever is written
      // meanwhile; everything older is copied before, in batches.
      this.cutover = now.truncatedTo(ChronoUnit.DAYS);
    }

    String write() {
      header();
      notes();
      newTable();
      List<Instant> starts = partitionStarts();
      partitions(starts);
      copies(starts);
      foreignKeys();
      swap();
      afterwards();
      return out.toString();
    }

    private void header() {
      Column key = facts.key();
      comment("Runsweep partition plan for " + source.quoted() + ": " + interval.word() + " range partitions by "
          + key.quoted() + ".");
      comment("Printed by \"runsweep partition plan\" at " + now.truncatedTo(ChronoUnit.SECONDS)
          + ". Runsweep has run none of it: review it, then");
      comment("run it yourself a step at a time (psql -v ON_ERROR_STOP=1), at a quiet hour.");
      comment("");
      comment(source.quoted() + " now: " + count(facts.rows()) + " rows (" + (facts.rowsCounted() ? "counted"
          : "the planner's estimate") + "), " + bytes(facts.totalBytes()) + " with its indexes and TOAST.");
      comment("  " + key.quoted() + (facts.minKey().isEmpty() ? " holds no value yet"
          : " runs from " + facts.minKey().get() + " to " + facts.maxKey().get())
          + (facts.nullKeys() == 0 ? "; no row has it NULL." : "; " + count(facts.nullKeys()) + " rows have it NULL."));
      comment("Estimate: the copy (steps 3 and 5) takes " + duration(facts.rows()) + " at an assumed "
          + count(ASSUMED_ROWS_PER_SECOND) + " rows/s (the first");
      comment("  statement of step 3 shows the real rate); the new table needs about "
          + bytes(Math.round(facts.totalBytes() * DISK_FACTOR)) + " more disk until the old");
      comment("  one is dropped (" + DISK_FACTOR + " x pg_total_relation_size).");
      comment("");
    }

    private void notes() {
      comment("Notes:");
      primaryKeyNote();
      for (TableFacts.Index index : facts.indexes()) {
        if (index.unique() && !index.primary() && !index.columns().contains(facts.key().name())) {
          note("The unique index " + quoted(index.name()) + " " + names(index.columns()) + " does not include "
              + facts.key().quoted() + ", which every unique index of a partitioned table must: it is not carried"
              + " over. Add it again with " + facts.key().quoted() + " if a narrower guarantee will do.");
        }
      }
      if (!facts.referencedBy().isEmpty()) {
        note("Foreign keys point at " + source.quoted() + ": " + facts.referencedBy().stream()
            .map(c -> c.table().quoted() + "." + quoted(c.name()) + " (" + c.definition() + ")")
            .collect(Collectors.joining(", ")) + ". Renamed, the old table keeps them, and the children of new rows"
            + " would fail them, so step 5 drops them. They cannot point at the new table: a foreign key needs a unique"
            + " key on what it references, and there that key must include " + facts.key().quoted() + ". Their ON"
            + " DELETE actions go with them: to delete the children with their rows, give the retention policy"
            + " \"dependents\".");
      }
      if (!facts.foreignKeys().isEmpty()) {
        note("The table's own foreign keys are added to the new table after the copy (step 4); each reads the new"
            + " table once to check it.");
      }
      if (!facts.identity().isEmpty()) {
        note("The identity column " + names(facts.identity()) + " gets a sequence of its own on the new table;"
            + " step 5 moves it past the copied values.");
      }
      facts.serials().forEach(s -> note("The sequence " + s.sequence().quoted() + " belongs to " + source.quoted()
          + "." + quoted(s.column()) + "; step 5 hands it to the new table, or dropping the old one would drop it."));
      if (!facts.generated().isEmpty()) {
        note("The generated column " + names(facts.generated()) + " is computed again on insert, not copied.");
      }
      if (facts.nullKeys() > 0) {
        note(count(facts.nullKeys()) + " rows have no " + facts.key().quoted() + ": they go to the default partition "
            + quoted(source.name() + "_default") + ", which also rules out DETACH ... CONCURRENTLY. Give them a"
            + " value and drop it.");
      }
      if (facts.triggers() > 0) {
        note(facts.triggers() + " trigger(s) on " + source.quoted() + " are not carried over: create them again on"
            + " the new table (pg_get_triggerdef shows them).");
      }
      note("Rows written to " + source.quoted() + " after their statement of step 3 ran are not in the new table:"
          + " step 5 copies the rows from " + cutover + " on under an exclusive lock, but older rows that may still"
          + " change need the application stopped from step 3 on. Grants, row security policies and views are not"
          + " carried over; views keep reading the old table.");
      out.append('\n');
    }

    private void primaryKeyNote() {
      List<String> primaryKey = facts.table().primaryKey();
      if (!primaryKey.isEmpty() && !primaryKey.contains(facts.key().name())) {
        note("The primary key " + names(primaryKey) + " does not include " + facts.key().quoted() + ", which a"
            + " partitioned table's must: the new table's is " + names(withKey(primaryKey)) + ", so "
            + names(primaryKey) + " alone is unique only within a partition from then on.");
      }
    }

    private void newTable() {
      boolean indexesValid = facts.indexes().stream()
          .allMatch(i -> !i.unique() || i.columns().contains(facts.key().name()));
      step(1, "The new table, with the columns, defaults, constraints, identity and storage of " + source.quoted()
          + (indexesValid ? " and its indexes." : "; its indexes are made one by one, named by the server."));
      statement(conversion.createLike(target, source, facts.key(), indexesValid));
      if (indexesValid) {
        out.append('\n');
        return;
      }
      for (TableFacts.Index index : facts.indexes()) {
        if (index.primary()) {
          statement(conversion.addPrimaryKey(target, withKey(index.columns())));
        } else if (!index.unique() || index.columns().contains(facts.key().name())) {
          statement(conversion.createIndex(target, index));
        }
      }
      out.append('\n');
    }

    /** From the interval of the oldest row to {@code premake} intervals past the newest row's, or now's. */
    private List<Instant> partitionStarts() {
      Instant current = Intervals.start(interval, now);
      Instant first = facts.minKey().map(k -> Intervals.start(interval, k)).orElse(current);
      Instant newest = facts.maxKey().map(k -> Intervals.start(interval, k)).filter(k -> k.isAfter(current))
          .orElse(current);
      Instant last = Intervals.plus(interval, newest, premake);
      List<Instant> starts = new ArrayList<>();
      for (Instant start = first; !start.isAfter(last); start = Intervals.plus(interval, start, 1)) {
        starts.add(start);
      }
      return starts;
    }

    private void partitions(List<Instant> starts) {
      String unit = switch (interval) {
        case DAILY -> "day";
        case WEEKLY -> "week";
        case MONTHLY -> "month";
      };
      step(2, "Its " + starts.size() + " partitions: from the oldest row's " + unit + " to " + premake + " " + unit
          + "(s) past the newest row's or the current one, whichever is later.");
      for (Instant start : starts) {
        statement(conversion.createPartition(target, source.name() + Intervals.suffix(interval, start), facts.key(),
            start, Intervals.plus(interval, start, 1)));
      }
      if (facts.nullKeys() > 0) {
        statement(conversion.createDefaultPartition(target, source.name() + "_default"));
      }
      out.append('\n');
    }

    private void copies(List<Instant> starts) {
      step(3, "The copy of the rows before " + cutover + ", a partition's range per statement; each commits on"
          + " its own.");
      for (Instant start : starts) {
        Instant end = Intervals.plus(interval, start, 1);
        if (start.isBefore(cutover)) {
          Instant to = end.isAfter(cutover) ? cutover : end;
          statement(conversion.copy(facts, target, Optional.of(start), Optional.of(to), false));
        }
      }
      out.append('\n');
    }

    private void foreignKeys() {
      if (facts.foreignKeys().isEmpty()) {
        return;
      }
      step(4, "The foreign keys of " + source.quoted() + ", on the new table.");
      facts.foreignKeys().forEach(fk -> statement(conversion.addConstraint(target, fk)));
      out.append('\n');
    }

    private void swap() {
      step(5, "The swap, in one short transaction: the rows from " + cutover + " on, then the names. It gives up"
          + " rather than queue behind the application; run it again then.");
      statement("BEGIN");
      statement(conversion.setLocalLockTimeout(lockTimeout));
      statement(conversion.lockExclusively(source));
      statement(conversion.copy(facts, target, Optional.of(cutover), Optional.empty(), facts.nullKeys() > 0));
      facts.identity().forEach(column -> statement(conversion.restartIdentity(target, column)));
      facts.referencedBy().forEach(fk -> statement(conversion.dropConstraint(fk)));
      statement(conversion.rename(source, source.name() + "_unpartitioned"));
      statement(conversion.rename(target, source.name()));
      facts.serials().forEach(s -> statement(conversion.ownSequence(s, source)));
      statement("COMMIT");
      out.append('\n');
    }

    private void afterwards() {
      step(6, "Once the application works on the new table: drop the old one, and let Runsweep keep the"
          + " partitions, e.g. with");
      comment("   DROP TABLE " + sibling("_unpartitioned").quoted() + ";");
      comment("   runsweep.partitions.<name> { table = \"" + source + "\", column = \"" + facts.key().name()
          + "\", interval = " + interval.word() + ", retention = <intervals to keep> }");
    }

    private TableName sibling(String suffix) {
      return new TableName(source.schema(), source.name() + suffix);
    }

    private List<String> withKey(List<String> columns) {
      List<String> all = new ArrayList<>(columns);
      all.add(facts.key().name());
      return all;
    }

    private void statement(String sql) {
      out.append(sql).append(";\n");
    }

    private void comment(String text) {
      out.append(text.isEmpty() ? "--" : "-- " + text).append('\n');
    }

    /** A step's heading: its number, then its text wrapped under it. */
    private void step(int number, String text) {
      List<String> lines = wrap(text, WIDTH - 3);
      comment(number + ". " + lines.get(0));
      lines.stream().skip(1).forEach(l -> comment("   " + l));
    }

    private void note(String text) {
      List<String> lines = wrap(text, WIDTH - 2);
      comment("* " + lines.get(0));
      lines.stream().skip(1).forEach(l -> comment("  " + l));
    }

    private String duration(long rows) {
      long seconds = Math.round((double) rows / ASSUMED_ROWS_PER_SECOND);
      if (seconds < 1) {
        return "under a second";
      }
      if (seconds < 120) {
        return "about " + seconds + " s";
      }
      return seconds < 7200 ? "about " + Math.round(seconds / 60.0) + " min" : "about " + Math.round(seconds / 3600.0) + " h";
    }
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  private static String quoted(String name) {
    return '"' + name + '"';
  }

  private static String names(List<String> columns) {
    return columns.stream().map(ConversionPlanner::quoted).collect(Collectors.joining(", ", "(", ")"));
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** As pg_size_pretty writes sizes: 48 kB, 12 MB, 3 GB. */
  static String bytes(long bytes) {
    String[] units = {"bytes", "kB", "MB", "GB", "TB"};
    double size = bytes;
    int unit = 0;
    while (size >= 10 * 1024 && unit < units.length - 1) {
      size /= 1024;
      unit++;
    }
    return Math.round(size) + " " + units[unit];
  }
}
