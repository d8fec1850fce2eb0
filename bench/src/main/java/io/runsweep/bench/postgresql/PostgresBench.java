package io.runsweep.bench.postgresql;

import io.runsweep.bench.measure.BenchFormat;
import io.runsweep.bench.measure.BenchPolicy;
import io.runsweep.bench.measure.Engine;
import io.runsweep.bench.measure.Measured;
import io.runsweep.bench.measure.Method;
import io.runsweep.bench.measure.MethodResult;
import io.runsweep.bench.measure.Methods;
import io.runsweep.bench.measure.RowDigest;
import io.runsweep.bench.measure.Runs;
import io.runsweep.bench.measure.Scenario;
import io.runsweep.bench.measure.ScenarioResult;
import io.runsweep.bench.measure.Seeding;
import io.runsweep.bench.measure.ServerView;
import io.runsweep.bench.measure.Workload;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.sql.Column;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Table;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.postgresql.WalCompression;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The PostgreSQL part: a Milvaion-shaped "JobOccurrences" table in the bench's own schema, seeded afresh
 * from the same deterministic generator for each method, so that every method starts from an identical,
 * vacuumed, analysed and checkpointed table, in three scenarios: a backlog whose rows lie in the order they
 * ended, the same backlog with old and new rows mixed through the heap, and the steady state. While each method
 * runs, the scheduler's server works beside it ({@link ServerWork}). The schema is dropped at the end, whatever
 * happens.
 */
public final class PostgresBench {
    /** Milvaion's guide: completed occurrences go after 7 days. A backlog of 8 weeks leaves 7 of them to go. */
    private static final Duration BACKLOG_OLDER_THAN = Duration.ofDays(7);

    private static final Duration BACKLOG_HISTORY = Duration.ofDays(56);
    /** Sixty days kept, one day's worth expiring. */
    private static final Duration STEADY_OLDER_THAN = Duration.ofDays(59);

    private static final Duration STEADY_HISTORY = Duration.ofDays(60);
    private static final long COMPLETED = 2;
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** The scheduler's server warms up this long before each method, unmeasured: new connections, cold code. */
    private static final Duration WARM_UP = Duration.ofSeconds(1);

    /** The scheduler's server works alone this long before each method, for its latencies without a purge. */
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final DatabaseUrl url;
    /** The engine, and the engine set up otherwise when it is measured too, each by the method it is. */
    private final Map<Method, Engine> engines = new EnumMap<>(Method.class);

    private final Consumer<String> progress;
    private final Consumer<ScenarioResult> done;
    /** Where this machine has a server built with lz4, when the bench runs on one without it. */
    private final Optional<String> lz4Elsewhere;

    /**
     * Tells {@code progress} what it is doing, and {@code done} each scenario as soon as it is measured.
     *
     * @param otherEngines the engine set up otherwise, each measured beside {@code engine} under its method
     *     ({@link Method#ENGINE_ONE_CONNECTION}, {@link Method#ENGINE_SERVER_WAL})
     * @param lz4Elsewhere how to bench on a server built with lz4, told where the server at {@code url} lacks it
     */
    public PostgresBench(
            DatabaseUrl url,
            Engine engine,
            Map<Method, Engine> otherEngines,
            Optional<String> lz4Elsewhere,
            Consumer<String> progress,
            Consumer<ScenarioResult> done) {
        if (url.kind() != DatabaseKind.POSTGRESQL) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + url.redacted());
        }
        this.url = url;
        engines.put(Method.ENGINE, engine);
        engines.putAll(otherEngines);
        this.progress = progress;
        this.done = done;
        this.lz4Elsewhere = lz4Elsewhere;
    }

    /**
     * The backlog (rows in order, then interleaved), then the steady state, {@code rows} rows each, ages judged
     * from {@code now}; each method {@code repeat} times, in rounds of every method whose order alternates, so that a
     * busy spell of the machine hits every method alike. Only the {@code scenarios} given are run.
     */
    public List<ScenarioResult> run(long rows, int repeat, Instant now, Set<Scenario> scenarios) throws Exception {
        try (Database database = Databases.open(url, options().withPoolSize(2));
                Database server = Databases.open(
                        url, options().withPoolSize(ServerWork.CONNECTIONS).withPoolName("scheduler-server"))) {
            String version;
            Optional<String> engineWalWhole;
            try (Connection connection = database.connection()) {
                version = database.dialect().version(connection);
                // The engine connects as the bench does.
                WalCompression wal = WalCompression.read(connection);
                engineWalWhole = wal.whyNot()
                        .map(why -> wal.lz4()
                                ? why
                                : why + lz4Elsewhere.map(how -> "; " + how).orElse(""));
                BenchSchema.create(connection, progress);
            }
            try {
                List<ScenarioResult> results = new ArrayList<>();
                for (Workload workload : List.of(
                        Workload.of(Scenario.BACKLOG, rows, BACKLOG_OLDER_THAN, BACKLOG_HISTORY, now),
                        Workload.of(Scenario.BACKLOG_INTERLEAVED, rows, BACKLOG_OLDER_THAN, BACKLOG_HISTORY, now),
                        Workload.of(Scenario.STEADY_STATE, rows, STEADY_OLDER_THAN, STEADY_HISTORY, now))) {
                    if (scenarios.contains(workload.scenario())) {
                        results.add(scenario(database, server, version, engineWalWhole, workload, repeat));
                    }
                }
                return results;
            } finally {
                try (Connection connection = database.connection()) {
                    BenchSchema.drop(connection);
                }
            }
        }
    }

    private Set<Method> methods() {
        Set<Method> methods = EnumSet.copyOf(Method.COMPARED);
        methods.addAll(engines.keySet());
        return methods;
    }

    /** Rows of the first {@code oldRows} whose status is Completed: eight in every ten. */
    public static long expiring(long oldRows) {
        return oldRows / 10 * 8 + Math.min(oldRows % 10, 8);
    }

    /** @param engineWalWhole why the engine's batches write their full-page images whole on this server, if they do */
    private ScenarioResult scenario(
            Database database,
            Database server,
            String version,
            Optional<String> engineWalWhole,
            Workload workload,
            int repeat)
            throws Exception {
        warmUpEngines(database, workload.forWarmUp());
        Map<Method, List<MethodResult>> runs = new EnumMap<>(Method.class);
        long bytes = 0;
        for (int run = 1; run <= repeat; run++) {
            for (Method method : Runs.order(run, methods())) {
                try (Connection connection = database.connection()) {
                    bytes = seed(connection, workload, title(workload) + ", table for " + method.label());
                }
                progress.accept(title(workload) + ": running " + method.label() + Runs.of(run, repeat)
                        + ", the scheduler's server writing meanwhile");
                runs.computeIfAbsent(method, m -> new ArrayList<>())
                        .add(withServer(database, server, workload, method));
                try (Connection connection = database.connection()) {
                    execute(connection, PostgresBenchSql.dropTable());
                }
            }
        }
        ScenarioResult result = ScenarioResult.measuredNow(
                DatabaseKind.POSTGRESQL,
                version,
                workload.scenario(),
                PostgresBenchSql.TABLE.toString(),
                workload.rows(),
                bytes,
                expiring(workload.oldRows()),
                Runs.combine(runs),
                engineWalWhole);
        done.accept(result);
        return result;
    }

    /**
     * The method with the scheduler's server at work: the method prepared first (its session; the engine's
     * configuration and pool), a second for the server's connections to warm up, a CHECKPOINT so that no method
     * pays for writing out the seeding or another method's pages, a second of the server's work alone (the idle
     * line), then the method.
     */
    private MethodResult withServer(Database database, Database server, Workload workload, Method method)
            throws Exception {
        try (Methods.Prepared prepared = prepare(database, workload, method);
                ServerWork work = ServerWork.start(server, workload.oldRows())) {
            Thread.sleep(WARM_UP.toMillis());
            try (Connection connection = database.connection()) {
                checkpoint(connection);
            }
            work.idleFromNow();
            Thread.sleep(IDLE.toMillis());
            work.begin();
            Measured measured = prepared.run();
            ServerView view = work.end(measured.steps());
            try (Connection connection = database.connection()) {
                return measured.result(method, RowDigest.of(connection, PostgresBenchSql.remainingKeys()))
                        .withServer(view);
            }
        }
    }

    /** Each engine measured, once on a small copy of its own. */
    private void warmUpEngines(Database database, Workload small) throws Exception {
        for (Map.Entry<Method, Engine> engine : engines.entrySet()) {
            boolean shipped = engine.getKey() == Method.ENGINE;
            try (Connection connection = database.connection()) {
                seed(
                        connection,
                        small,
                        title(small)
                                + (shipped
                                        ? ", table for the engine's warm-up"
                                        : ", table for the warm-up of "
                                                + engine.getKey().label()));
            }
            if (shipped) {
                progress.accept(title(small) + ": warming up the engine on " + BenchFormat.count(small.rows())
                        + " rows (not measured)");
            }
            Methods.warmUpEngine(engine.getValue(), url, policy(small), small.now(), expiring(small.oldRows()));
        }
        try (Connection connection = database.connection()) {
            execute(connection, PostgresBenchSql.dropTable());
        }
    }

    /** A fresh copy of the table, as every method gets it, with {@code what} in its progress; its size in bytes. */
    private long seed(Connection connection, Workload workload, String what) throws SQLException {
        execute(connection, PostgresBenchSql.dropTable());
        execute(connection, PostgresBenchSql.createTable());
        HeapOrder order = workload.scenario().interleaved()
                ? HeapOrder.interleaved(workload.rows())
                : HeapOrder.ordered(workload.rows());
        Seeding.insert(
                connection,
                workload.times(),
                (first, last, times) -> PostgresBenchSql.insertRows(first, last, times, order),
                what,
                progress);
        progress.accept(what + ": building its 4 indexes, VACUUM ANALYZE");
        for (String index : PostgresBenchSql.createIndexes()) {
            execute(connection, index);
        }
        for (String statement : PostgresBenchSql.createWriterLogs()) {
            execute(connection, statement);
        }
        execute(connection, PostgresBenchSql.vacuumAnalyze());
        try (PreparedStatement s = PostgresBenchSql.totalBytes().prepare(connection, BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** So that no method pays for writing out the seeding; only a superuser (or pg_checkpoint) may. */
    private void checkpoint(Connection connection) throws SQLException {
        try {
            execute(connection, PostgresBenchSql.checkpoint());
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            progress.accept(
                    "CHECKPOINT not allowed for this user, skipped: a method may pay for writing out the seeding");
        }
    }

    private Methods.Prepared prepare(Database database, Workload workload, Method method) throws Exception {
        if (engines.containsKey(method)) {
            return Methods.engine(engines.get(method), url, policy(workload), workload.now());
        }
        SqlParam cutoff = cutoff(database, workload);
        List<SqlParam> statuses = statuses(database);
        Database session = newSession(url);
        return new Methods.Prepared() {
            @Override
            public Measured run() throws SQLException {
                return method == Method.ONE_DELETE
                        ? Methods.oneDelete(session, PostgresBenchSql.deleteAll(cutoff, statuses))
                        : Methods.idInLoop(session, PostgresBenchSql.deleteByIdIn(cutoff, statuses));
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    /**
     * A new server session, made before the method is timed, as the engine opens its own (and as psql would). Not
     * the bench's connection, which seeded the table: a server process touching a shared buffer for the first time
     * takes a page fault for each memory page of it (two per 8 KiB buffer without huge pages, about 12 us each on a
     * 2-core VM), and the seeding's process has touched them all. Run on it, one DELETE read its pages four to eight
     * times faster than the engine's fresh session read the same ones.
     */
    static Database newSession(DatabaseUrl url) throws SQLException {
        Database session = Databases.open(url, options().withPoolSize(1));
        try {
            session.connection().close();
        } catch (SQLException | RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    private static ConnectionOptions options() {
        return Connections.options(SettingsLoader.defaults().database(), false).withPoolName("runsweep-bench");
    }

    private static BenchPolicy policy(Workload workload) {
        return new BenchPolicy(
                "bench-" + workload.scenario().key(),
                PostgresBenchSql.TABLE.toString(),
                PostgresBenchSql.TIME,
                workload.olderThan(),
                Optional.of(PostgresBenchSql.STATUS),
                List.of(COMPLETED));
    }

    /** The cutoff bound exactly as the engine's planner binds it. */
    private static SqlParam cutoff(Database database, Workload workload) throws SQLException {
        try (Connection connection = database.connection()) {
            Table table = table(database.dialect(), connection);
            return database.dialect()
                    .cutoff(connection, table, column(table, PostgresBenchSql.TIME), workload.cutoff());
        }
    }

    private static List<SqlParam> statuses(Database database) throws SQLException {
        try (Connection connection = database.connection()) {
            Table table = table(database.dialect(), connection);
            return List.of(database.dialect().value(column(table, PostgresBenchSql.STATUS), COMPLETED));
        }
    }

    private static Table table(Dialect dialect, Connection connection) throws SQLException {
        return dialect.describe(connection, PostgresBenchSql.TABLE).orElseThrow();
    }

    private static Column column(Table table, String name) {
        return table.column(name).orElseThrow();
    }

    private static String title(Workload workload) {
        return "PostgreSQL " + workload.scenario().label();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
