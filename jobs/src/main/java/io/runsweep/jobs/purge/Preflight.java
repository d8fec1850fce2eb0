package io.runsweep.jobs.purge;

import io.runsweep.jobs.common.Backoff;
import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.Column;
import io.runsweep.sql.Database;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.Queries;
import io.runsweep.sql.RowCount;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a run of a plan would take from every table it reaches, measured before its first batch: the rows its
 * dependents and cascades would lose, the rows its cascades would take that other policies keep, the privileges
 * its role lacks, the newest time in its time column and the database's clock. {@link Refusal} judges from it;
 * a real run and a dry run measure the same way, so a dry run says what a real run would refuse.
 *
 * @param reached each dependent's and cascade's table, with the rows the run would take from it
 * @param kept each cascade into another policy's table, with the rows it would take that the policy keeps
 * @param emptied the tables the run would delete every row of
 * @param newest per time column (and fallback) that holds any, its newest value
 */
public record Preflight(
        PurgePlan plan,
        List<Privileges.Missing> missing,
        List<Reached> reached,
        List<Kept> kept,
        List<TableName> emptied,
        Map<String, Instant> newest,
        Instant clock) {

    /** Above this share of a table, by the estimates, whether a run would empty it is counted exactly. */
    private static final double COUNT_EXACTLY_ABOVE = 0.9;

    public Preflight {
        missing = List.copyOf(missing);
        reached = List.copyOf(reached);
        kept = List.copyOf(kept);
        emptied = List.copyOf(emptied);
        newest = Map.copyOf(newest);
    }

    /**
     * A table a run reaches beyond its own.
     *
     * @param via the dependent's column, or the cascade's foreign key
     * @param tableRows the table's rows, when a bound needed them (max-fraction below 1); else empty
     */
    public record Reached(
            TableName table, PolicyReport.Reach how, String via, RowCount rows, Optional<Long> tableRows) {}

    /** A cascade into another policy's table: {@code kept} of the {@code reached} rows it takes, that policy keeps. */
    public record Kept(PurgePlan.Conflict conflict, RowCount reached, long kept) {}

    /**
     * Measures {@code plan} on {@code connection}, which must see what a run would see.
     *
     * @param counted exact counts already made of the rows a dependent or cascade table would lose (a dry run's),
     *     by {@link #countedKey}, so that they are not counted twice
     */
    public static Preflight measure(Database database, Connection connection, PurgePlan plan, Map<String, Long> counted)
            throws SQLException {
        Dialect dialect = database.dialect();
        Instant clock = dialect.clock(connection);
        List<Privileges.Missing> missing = Privileges.missing(connection, dialect, plan);
        if (missing.stream().anyMatch(m -> m.privilege().equals("SELECT"))) {
            // Nothing more can be read; the refusal names what is missing.
            return new Preflight(plan, missing, List.of(), List.of(), List.of(), Map.of(), clock);
        }
        return new Measure(database, connection, plan, counted).run(missing, clock);
    }

    /**
     * How a count made of a table is known: by how the run reaches it as well as its name, since a cascade may reach
     * the policy's own table (a parent run's children), whose matched rows are another count.
     */
    static String countedKey(PolicyReport.Reach how, String table) {
        return how + " " + table;
    }

    /**
     * Measures {@code plan} before a real run: in a transaction it rolls back, under the run's lock timeout, so that
     * it gives up rather than queue behind the application's locks, and tried again after a passing failure as a
     * batch is. Empty when {@code stop} came first: it only reads, so what it was reading is cancelled.
     */
    static Optional<Preflight> beforeRun(Database database, PurgePlan plan, RunOptions options, StopSignal stop)
            throws SQLException {
        Backoff backoff = Backoff.doubling(options.batch().retryBackoff(), true);
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = database.connection()) {
                return stop.unlessStopped(
                        database.dialect(),
                        connection,
                        () -> database.dialect()
                                .readGivingWay(
                                        connection,
                                        options.lockTimeout(),
                                        () -> measure(database, connection, plan, Map.of())));
            } catch (SQLException e) {
                if (!database.dialect().isTransient(e)
                        || attempt > options.batch().retries()
                        || stop.sleep(backoff.delay(attempt).toMillis())) {
                    throw e;
                }
            }
        }
    }

    /**
     * What the database's cascades will take, by name, for a person to read before the first delete: empty when
     * the policy's rows cascade nowhere, or their cascades were counted to take no row.
     */
    public Optional<String> cascadeSummary() {
        List<Reached> cascades = reached.stream()
                .filter(r -> r.how() == PolicyReport.Reach.CASCADE)
                .toList();
        if (cascades.stream().allMatch(r -> r.rows().rows() == 0 && !r.rows().estimated())) {
            return Optional.empty();
        }
        String taken = cascades.stream()
                .map(r -> (r.rows().estimated() ? "about " : "")
                        + Formats.count(r.rows().rows()) + " \"" + r.table() + "\" rows (" + r.via() + ")")
                .collect(Collectors.joining(", "));
        String keptToo = kept.stream()
                .filter(k -> k.kept() > 0)
                .map(k -> "; " + Formats.count(k.kept()) + " of the \""
                        + k.conflict().cascade().table()
                        + "\" rows are kept by policy "
                        + CascadeWording.names(k.conflict().keepers())
                        + " (allowed by allow-cascade-conflicts)")
                .collect(Collectors.joining());
        return Optional.of("deleting its \"" + plan.table().name() + "\" rows also deletes, by ON DELETE CASCADE, "
                + taken + keptToo);
    }

    /** One measurement, with the connection and plan it reads. */
    private static final class Measure {
        private final Database database;
        private final Dialect dialect;
        private final Connection connection;
        private final PurgePlan plan;
        private final Map<String, Long> counted;
        private final List<TableName> emptied = new ArrayList<>();
        private final Map<TableName, Long> tableRows = new HashMap<>();

        Measure(Database database, Connection connection, PurgePlan plan, Map<String, Long> counted) {
            this.database = database;
            this.dialect = database.dialect();
            this.connection = connection;
            this.plan = plan;
            this.counted = counted;
        }

        Preflight run(List<Privileges.Missing> missing, Instant clock) throws SQLException {
            Map<String, Instant> newest = newest();
            if (emptiesOwnTable(newest)) {
                emptied.add(plan.table().name());
            }
            List<Reached> reached = new ArrayList<>();
            for (PurgePlan.Dependent d : plan.dependents()) {
                reached.add(reach(
                        d.table().name(),
                        PolicyReport.Reach.DEPENDENT,
                        d.column().name(),
                        d.count(),
                        d.leavesEnd()));
            }
            for (PurgePlan.Cascade c : plan.cascades()) {
                reached.add(reach(
                        c.table(), PolicyReport.Reach.CASCADE, c.foreignKey().name(), c.count(), c.leavesEnd()));
            }
            List<Kept> kept = new ArrayList<>();
            for (PurgePlan.Conflict conflict : plan.conflicts()) {
                RowCount rows = reached.stream()
                        .filter(r -> r.table().equals(conflict.cascade().table()))
                        .findFirst()
                        .map(Reached::rows)
                        .orElse(RowCount.counted(0));
                kept.add(new Kept(conflict, rows, rows.rows() == 0 ? 0 : Queries.count(connection, conflict.kept())));
            }
            return new Preflight(plan, missing, reached, kept, emptied, newest, clock);
        }

        private Map<String, Instant> newest() throws SQLException {
            Map<String, Instant> newest = new LinkedHashMap<>();
            List<String> columns = new ArrayList<>(List.of(plan.policy().timeColumn()));
            plan.policy().timeColumnFallback().ifPresent(columns::add);
            for (String name : columns) {
                Optional<Column> column = plan.table().column(name);
                if (column.isPresent() && dialect.readsNewest(connection, plan.table(), column.get())) {
                    newest(plan.table(), column.get()).ifPresent(at -> newest.put(name, at));
                }
            }
            return newest;
        }

        private Optional<Instant> newest(Table table, Column column) throws SQLException {
            try (PreparedStatement s = dialect.newest(table, column).prepare(connection, SqlParam.BatchValues.NONE);
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                return database.stats().time(rs, 1, column);
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // a value not read as a time: how the column stores time is judged elsewhere
            }
        }

        /**
         * Exact, and cheap where it can be: a row newer than the cutoff (the time column's newest, read through its
         * index) survives; only when none is newer is a row the predicate does not match looked for. Estimates are
         * not trusted here: statistics taken before the table aged would hide a table about to be emptied.
         */
        private boolean emptiesOwnTable(Map<String, Instant> newest) throws SQLException {
            if (plan.range().rows() == 0) {
                return false;
            }
            Instant latest = newest.get(plan.policy().timeColumn());
            if (latest != null && !latest.isBefore(plan.cutoff())) {
                return false;
            }
            return Queries.count(connection, dialect.anyRowLeft(plan.table(), plan.where())) == 0;
        }

        private Reached reach(TableName table, PolicyReport.Reach how, String via, Sql count, Optional<Sql> leavesEnd)
                throws SQLException {
            Long known = counted.get(countedKey(how, table.toString()));
            RowCount rows = known != null ? RowCount.counted(known) : dialect.estimateCount(connection, count);
            Optional<Long> tableRows = Optional.empty();
            if (plan.policy().limits().maxFraction() < 1.0) {
                tableRows = Optional.of(tableRows(table));
            }
            if (wouldEmpty(table, rows, count, leavesEnd)) {
                emptied.add(table);
            }
            return new Reached(table, how, via, rows, tableRows);
        }

        /** Read once per table: a max-fraction and the emptied check may both need it (a count below 100,000). */
        private long tableRows(TableName name) throws SQLException {
            Long known = tableRows.get(name);
            if (known == null) {
                Optional<Table> table = dialect.describe(connection, name);
                known = table.isEmpty()
                        ? 0
                        : dialect.scanRange(connection, table.get()).rows();
                tableRows.put(name, known);
            }
            return known;
        }

        /**
         * Whether the run takes every row of {@code table}: the rows it takes are all the table holds when it
         * holds no more than that many. An estimate is first set against the table's own; when it comes close, a
         * row at the table's end that the run leaves settles it, and only without one is it counted exactly.
         */
        private boolean wouldEmpty(TableName table, RowCount reached, Sql count, Optional<Sql> leavesEnd)
                throws SQLException {
            long rows = reached.rows();
            if (rows == 0) {
                return false;
            }
            if (reached.estimated() && rows < COUNT_EXACTLY_ABOVE * tableRows(table)) {
                return false;
            }
            if (leavesEnd.isPresent() && Queries.count(connection, leavesEnd.get()) > 0) {
                return false;
            }
            if (reached.estimated()) {
                rows = Queries.count(connection, count);
                if (rows == 0) {
                    return false;
                }
            }
            long limit = Math.min(rows + 1, Integer.MAX_VALUE);
            try (PreparedStatement s = dialect.countUpTo(table)
                            .prepare(connection, new SqlParam.BatchValues((int) limit, List.of()));
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) <= rows;
            }
        }
    }
}
