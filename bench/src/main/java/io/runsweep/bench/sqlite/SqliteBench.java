package io.runsweep.bench.sqlite;

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
import io.runsweep.bench.measure.Workload;
import io.runsweep.bench.measure.WriterStats;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.connect.Databases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The SQLite part: a Prefect database file (Prefect's schema, its {@code log} table filled) seeded once,
 * then copied for each method. While a method runs, a second connection inserts a log line every 10 ms,
 * as Prefect's server writes while a retention job deletes.
 */
public final class SqliteBench {
    /** Prefect's preset keeps 90 days of logs; 300 days of history leave 70% of the rows to go. */
    private static final Duration OLDER_THAN = Duration.ofDays(90);

    private static final Duration HISTORY = Duration.ofDays(300);
    /** Prefect's server and Runsweep alike wait this long for the write lock before "database is locked". */
    private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    private final Path dir;
    private final Engine engine;
    private final Consumer<String> progress;
    private final Consumer<ScenarioResult> done;

    /**
     * Works in {@code dir}, which it leaves as it found it; tells {@code progress} what it is doing, and
     * {@code done} the scenario as soon as it is measured.
     */
    public SqliteBench(Path dir, Engine engine, Consumer<String> progress, Consumer<ScenarioResult> done) {
        this.dir = dir;
        this.engine = engine;
        this.progress = progress;
        this.done = done;
    }

    /** The backlog; each method {@code repeat} times, in rounds of all three, each run on a fresh copy. */
    public ScenarioResult run(long rows, int repeat, Instant now) throws Exception {
        Workload workload = Workload.of(Scenario.BACKLOG, rows, OLDER_THAN, HISTORY, now);
        Path seeded = dir.resolve("prefect.db");
        try {
            String server = seed(seeded, workload);
            warmUpEngine(workload.forWarmUp());
            Map<Method, List<MethodResult>> runs = new EnumMap<>(Method.class);
            for (int run = 1; run <= repeat; run++) {
                for (Method method : Runs.order(run, Method.COMPARED)) {
                    runs.computeIfAbsent(method, m -> new ArrayList<>())
                            .add(onCopy(seeded, workload, method, Runs.of(run, repeat)));
                }
            }
            ScenarioResult result = ScenarioResult.measuredNow(
                    DatabaseKind.SQLITE,
                    server,
                    workload.scenario(),
                    SqliteBenchSql.TABLE.toString(),
                    rows,
                    Files.size(seeded),
                    workload.oldRows(),
                    Runs.combine(runs),
                    Optional.empty());
            done.accept(result);
            return result;
        } finally {
            deleteDatabase(seeded);
        }
    }

    private void warmUpEngine(Workload small) throws Exception {
        Path file = dir.resolve("warm-up.db");
        try {
            seed(file, small);
            progress.accept("SQLite backlog: warming up the engine on " + BenchFormat.count(small.rows())
                    + " rows (not measured)");
            Methods.warmUpEngine(engine, DatabaseUrl.ofSqliteFile(file), policy(), small.now(), small.oldRows());
        } finally {
            deleteDatabase(file);
        }
    }

    /** Prefect's schema and {@code rows} log lines, folded into the one file; returns the SQLite version. */
    private String seed(Path file, Workload workload) throws SQLException {
        ConnectionOptions options = options().withPoolSize(1).withCreateIfMissing(true);
        try (Database database = Databases.open(DatabaseUrl.ofSqliteFile(file), options);
                Connection connection = database.connection()) {
            PrefectSchema.create(connection, SchemaDialect.SQLITE);
            Seeding.insert(
                    connection, workload.times(), SqliteBenchSql::insertRows, "SQLite backlog, " + file, progress);
            execute(connection, SqliteBenchSql.checkpoint());
            return database.dialect().version(connection);
        }
    }

    private MethodResult onCopy(Path seeded, Workload workload, Method method, String run) throws Exception {
        Path copy = dir.resolve("copy-" + method.name().toLowerCase(java.util.Locale.ROOT) + ".db");
        Files.copy(seeded, copy);
        DatabaseUrl url = DatabaseUrl.ofSqliteFile(copy);
        try (Database database = Databases.open(url, options());
                Database writerDatabase =
                        Databases.open(url, options().withPoolSize(1).withPoolName("prefect-server"))) {
            progress.accept("SQLite backlog: running " + method.label() + run + ", a writer inserting every 10 ms");
            SqlParam cutoff = cutoff(database, workload);
            Measured measured;
            WriterStats writer;
            try (Methods.Prepared prepared = prepare(database, url, cutoff, workload, method);
                    ConcurrentWriter running = ConcurrentWriter.start(writerDatabase, copy)) {
                measured = prepared.run();
                writer = running.stop();
            }
            try (Connection connection = database.connection()) {
                return measured.result(method, RowDigest.of(connection, SqliteBenchSql.remainingKeys()))
                        .withWriter(writer);
            }
        } finally {
            deleteDatabase(copy);
        }
    }

    /** The method ready to run before the writer starts, so that nothing but the method runs beside it. */
    private Methods.Prepared prepare(
            Database database, DatabaseUrl url, SqlParam cutoff, Workload workload, Method method) throws Exception {
        return switch (method) {
            case ONE_DELETE -> () -> Methods.oneDelete(database, SqliteBenchSql.deleteAll(cutoff));
            case ID_IN_LOOP -> () -> Methods.idInLoop(database, SqliteBenchSql.deleteByIdIn(cutoff));
            case ENGINE -> Methods.engine(engine, url, policy(), workload.now());
            case ENGINE_ONE_CONNECTION, ENGINE_SERVER_WAL ->
                throw new IllegalArgumentException("SQLite runs " + Method.COMPARED);
        };
    }

    private static BenchPolicy policy() {
        return new BenchPolicy(
                "bench-logs",
                SqliteBenchSql.TABLE.toString(),
                SqliteBenchSql.TIME,
                OLDER_THAN,
                Optional.empty(),
                List.of());
    }

    /** The cutoff in the text form the engine's planner reads off the column and binds. */
    private static SqlParam cutoff(Database database, Workload workload) throws SQLException {
        try (Connection connection = database.connection()) {
            Table table = database.dialect()
                    .describe(connection, SqliteBenchSql.TABLE)
                    .orElseThrow();
            return database.dialect()
                    .cutoff(connection, table, table.column(SqliteBenchSql.TIME).orElseThrow(), workload.cutoff());
        }
    }

    /** As Prefect's server opens its database: WAL, foreign keys, a busy timeout. */
    private static ConnectionOptions options() {
        return Connections.options(SettingsLoader.defaults().database(), false)
                .withPoolSize(2)
                .withBusyTimeout(BUSY_TIMEOUT)
                .withPoolName("runsweep-bench");
    }

    private static void deleteDatabase(Path file) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
