package io.runsweep.jobs.archive;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.purge.ArchivePlan;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgePlanner;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Column;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.ForeignKey;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.Transactions;
import io.runsweep.sql.connect.Databases;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code runsweep archive restore}: puts archived rows back, from archive tables or files, parents before
 * children (the policy's table, then the tables its cascades reach, level by level, then its dependents), each
 * row unless a row with the same key is there, in short transactions. A column that refers to a table restored
 * later (Prefect's flow_run.state_id) goes in NULL and is set once that table is back. Run again, a restore puts
 * back only what is missing.
 */
public final class ArchiveRestore {
    private static final int BATCH = 500;

    private final Database database;
    private final ArchiveSql sql;
    private final Clock clock;

    public ArchiveRestore(Database database, Clock clock) {
        this.database = database;
        this.sql = Databases.archiveSql(database.kind());
        this.clock = clock;
    }

    /** Where a restore reads from. */
    public enum From {
        SCHEMA,
        DIRECTORY;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The policy's rows archived in {@code [since, until)}; from a directory, its whole runs that started then. */
    public RestoreReport restore(
            PolicySettings policy, Optional<From> from, Instant since, Instant until, boolean dryRun) {
        From source = from.orElse(policy.archive().schema().isPresent() ? From.SCHEMA : From.DIRECTORY);
        List<RestoreReport.Table> done = new ArrayList<>();
        try {
            if ((source == From.SCHEMA && policy.archive().schema().isEmpty())
                    || (source == From.DIRECTORY && policy.archive().directory().isEmpty())) {
                throw new PlanException("policy " + policy.name() + " keeps no archive " + source.word() + " (archive."
                        + source.word() + " of the policy defined at " + policy.location() + ")");
            }
            ArchivePlan archive = plan(policy);
            List<Writer> writers = new ArrayList<>();
            for (Target target : targets(archive, policy)) {
                Writer writer = new Writer(target, dryRun);
                writers.add(writer);
                done.add(
                        source == From.SCHEMA
                                ? fromSchema(writer, archive, since, until)
                                : fromDirectory(writer, archive, since, until));
            }
            for (Writer writer : writers) {
                writer.setForwardReferences();
            }
            return new RestoreReport(policy.name(), source.word(), dryRun, done, Optional.empty());
        } catch (PlanException | IOException e) {
            return new RestoreReport(policy.name(), source.word(), dryRun, done, Optional.of(e.getMessage()));
        } catch (SQLException e) {
            return new RestoreReport(policy.name(), source.word(), dryRun, done, Optional.of(Errors.describe(e)));
        }
    }

    private ArchivePlan plan(PolicySettings policy) throws SQLException {
        try (Connection c = database.connection()) {
            PurgePlan plan = new PurgePlanner(database.dialect()).plan(c, policy, clock.instant());
            return new ArchivePlanner(database.dialect(), sql)
                    .plan(c, plan)
                    .archive()
                    .orElseThrow();
        }
    }

    /**
     * A table to restore, the column its rows are told apart by when it has one, and its nullable columns that
     * refer to a table restored after it.
     */
    private record Target(Table table, Optional<Column> key, List<Column> forward) {}

    /** Parents before children: the tables in the order the archive plan reaches them. */
    private List<Target> targets(ArchivePlan archive, PolicySettings policy) throws SQLException {
        try (Connection c = database.connection()) {
            Table own = database.dialect()
                    .describe(c, TableName.parse(policy.table()))
                    .orElseThrow();
            List<Table> tables = new ArrayList<>(List.of(own));
            archive.cascades().forEach(level -> tables.add(level.table()));
            archive.dependents().forEach(d -> tables.add(d.table()));
            List<Target> targets = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                Table table = tables.get(i);
                if (targets.stream().anyMatch(t -> t.table().name().equals(table.name()))) {
                    continue;
                }
                List<Column> forward = new ArrayList<>();
                for (Table later : tables.subList(i + 1, tables.size())) {
                    for (ForeignKey fk : database.dialect().referencing(c, later)) {
                        if (fk.child().equals(table.name())) {
                            table.column(fk.childColumn())
                                    .filter(Column::nullable)
                                    .ifPresent(forward::add);
                        }
                    }
                }
                Optional<Column> key = table == own ? Optional.of(archive.key()) : singleKey(table);
                targets.add(new Target(table, key, List.copyOf(forward)));
            }
            return targets;
        }
    }

    private static Optional<Column> singleKey(Table table) {
        return table.primaryKey().size() == 1 ? table.column(table.primaryKey().get(0)) : Optional.empty();
    }

    private RestoreReport.Table fromSchema(Writer writer, ArchivePlan archive, Instant since, Instant until)
            throws SQLException {
        Target target = writer.target;
        TableName archiveTable = archive.archiveTables().get(target.table().name());
        try (Connection reading = database.connection()) {
            Optional<Table> copies = database.dialect().describe(reading, archiveTable);
            if (copies.isEmpty()) {
                return writer.report();
            }
            List<String> columns = new ArrayList<>();
            for (Column c : copies.get().columns()) {
                if (c.name().equals(ArchiveSql.ARCHIVED_AT) || c.name().equals(ArchiveSql.POLICY)) {
                    continue;
                }
                if (target.table().column(c.name()).isPresent()) {
                    columns.add(c.name());
                } else {
                    writer.dropped.add(c.name());
                }
            }
            writer.columns(columns);
            Transactions.Work<Void> read = () -> {
                try (PreparedStatement s = sql.selectArchived(archiveTable, columns, archive.policy(), since, until)
                        .prepare(reading, BatchValues.NONE)) {
                    s.setFetchSize(BATCH);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            Object[] row = new Object[columns.size()];
                            for (int i = 0; i < row.length; i++) {
                                row[i] = sql.read(
                                        rs,
                                        i + 1,
                                        copies.get().column(columns.get(i)).orElseThrow());
                            }
                            writer.add(row);
                        }
                    }
                }
                writer.flush();
                return null;
            };
            // PostgreSQL streams a result only inside a transaction; SQLite streams without one, and a transaction
            // here would take the write lock the restore's own inserts need.
            if (database.kind() == DatabaseKind.POSTGRESQL) {
                Transactions.rollBack(reading, read);
            } else {
                read.run();
            }
            return writer.report();
        }
    }

    private RestoreReport.Table fromDirectory(Writer writer, ArchivePlan archive, Instant since, Instant until)
            throws SQLException, IOException {
        String table = writer.target.table().name().toString();
        for (ArchiveDirectory.Run run : new ArchiveDirectory(archive.directory().orElseThrow()).runs()) {
            if (run.started().isBefore(since) || !run.started().isBefore(until)) {
                continue;
            }
            for (Path file : run.files().getOrDefault(table, List.of())) {
                for (String member : GzipParts.read(file).members()) {
                    for (String line : member.split("\n")) {
                        if (!line.isEmpty()) {
                            writer.add(JsonRows.parse(line));
                        }
                    }
                }
            }
        }
        writer.flush();
        return writer.report();
    }

    /** Puts one table's rows back in batches, each its own transaction; a dry run counts those whose key is there. */
    private final class Writer {
        private final Target target;
        private final boolean dryRun;
        private final List<Object[]> pending = new ArrayList<>();
        /** Per row put back that refers forward: its key, then its forward columns' values. */
        private final List<Object[]> forwardValues = new ArrayList<>();

        private final List<String> dropped = new ArrayList<>();
        private final java.util.Set<Object> seen = new java.util.HashSet<>();
        private List<String> columns;
        private List<Integer> forward = List.of();
        private long archived;
        private long restored;
        private long present;

        Writer(Target target, boolean dryRun) {
            this.target = target;
            this.dryRun = dryRun;
        }

        void columns(List<String> names) {
            this.columns = List.copyOf(names);
            this.forward = target.key().isEmpty()
                    ? List.of()
                    : target.forward().stream()
                            .map(f -> columns.indexOf(f.name()))
                            .filter(i -> i >= 0)
                            .toList();
        }

        /** A row read from a file: the columns are the first row's that the table still has. */
        void add(Map<String, Object> row) throws SQLException {
            if (columns == null) {
                columns(row.keySet().stream()
                        .filter(c -> target.table().column(c).isPresent())
                        .toList());
            }
            row.keySet().stream()
                    .filter(c -> target.table().column(c).isEmpty() && !dropped.contains(c))
                    .forEach(dropped::add);
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(columns.get(i));
            }
            add(values);
        }

        void add(Object[] row) throws SQLException {
            pending.add(row);
            archived++;
            if (pending.size() >= BATCH) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            try (Connection c = database.connection()) {
                if (dryRun) {
                    countPresent(c);
                } else {
                    insert(c);
                }
            }
            pending.clear();
        }

        /** A key archived twice (a batch a crash cut short, archived again) is put back once. */
        private void countPresent(Connection c) throws SQLException {
            if (target.key().isEmpty()) {
                present = -1;
                restored += pending.size();
                return;
            }
            int index = columns.indexOf(target.key().get().name());
            List<Object> keys = new ArrayList<>();
            for (Object[] row : pending) {
                if (seen.add(row[index])) {
                    keys.add(row[index]);
                } else {
                    present++;
                }
            }
            try (PreparedStatement s =
                            sql.countPresent(target.table(), target.key().get()).prepare(c, new BatchValues(0, keys));
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                present += rs.getLong(1);
                restored += keys.size() - rs.getLong(1);
            }
        }

        private void insert(Connection c) throws SQLException {
            String insert = sql.insertUnlessPresent(target.table(), columns);
            int[] counts = Transactions.commit(c, () -> {
                try (PreparedStatement s = c.prepareStatement(insert)) {
                    for (Object[] row : pending) {
                        for (int i = 0; i < row.length; i++) {
                            Object value = forward.contains(i) ? null : row[i];
                            sql.bind(s, i + 1, value, column(i));
                        }
                        s.addBatch();
                    }
                    return s.executeBatch();
                }
            });
            int key = target.key().map(k -> columns.indexOf(k.name())).orElse(-1);
            for (int r = 0; r < counts.length; r++) {
                boolean inserted = counts[r] > 0;
                restored += inserted ? 1 : 0;
                present += inserted ? 0 : 1;
                if (inserted && !forward.isEmpty()) {
                    Object[] fix = new Object[forward.size() + 1];
                    fix[0] = pending.get(r)[key];
                    for (int f = 0; f < forward.size(); f++) {
                        fix[f + 1] = pending.get(r)[forward.get(f)];
                    }
                    forwardValues.add(fix);
                }
            }
        }

        private Column column(int index) {
            return target.table().column(columns.get(index)).orElseThrow();
        }

        /** Sets the forward references of the rows this restore put back, now that what they refer to is back. */
        void setForwardReferences() throws SQLException {
            if (forwardValues.isEmpty()) {
                return;
            }
            List<Column> set = forward.stream().map(this::column).toList();
            String update = sql.setWhereNull(target.table(), set, target.key().orElseThrow());
            try (Connection c = database.connection()) {
                for (int from = 0; from < forwardValues.size(); from += BATCH) {
                    List<Object[]> chunk = forwardValues.subList(from, Math.min(forwardValues.size(), from + BATCH));
                    Transactions.commit(c, () -> {
                        try (PreparedStatement s = c.prepareStatement(update)) {
                            for (Object[] fix : chunk) {
                                for (int f = 0; f < set.size(); f++) {
                                    sql.bind(s, f + 1, fix[f + 1], set.get(f));
                                }
                                sql.bind(s, set.size() + 1, fix[0], target.key().get());
                                s.addBatch();
                            }
                            return s.executeBatch();
                        }
                    });
                }
            }
        }

        RestoreReport.Table report() {
            return new RestoreReport.Table(target.table().name().toString(), archived, restored, present, dropped);
        }
    }
}
