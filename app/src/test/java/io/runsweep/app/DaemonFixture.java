package io.runsweep.app;

import static io.runsweep.sql.testing.TestRows.uuid;

import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.app.process.Crons;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Prefect database for the daemon, on a real SQLite file or a real PostgreSQL database, that does not exist
 * until {@link #createAndSeed} (so a test sees the daemon wait for it), and a configuration for it.
 *
 * <p>Seeded with 42 log lines older than the logs policy's 30 days and 8 recent ones, and 3 finished flow runs
 * 100 days old with 2 recent log lines each, plus 1 recent run with 2: the logs policy deletes exactly 42 rows
 * and flow-runs 3 runs and their 6 lines, whichever runs first.
 */
final class DaemonFixture {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    final DatabaseKind kind;
    final String jdbcUrl;
    private final Path dir;
    private final String postgresName;

    DaemonFixture(DatabaseKind kind, Path dir) {
        this.kind = kind;
        this.dir = dir;
        this.postgresName = "daemon_" + DATABASES.incrementAndGet() + "_"
                + ProcessHandle.current().pid();
        this.jdbcUrl = kind == DatabaseKind.SQLITE
                ? DatabaseUrl.ofSqliteFile(dir.resolve("prefect.db")).jdbcUrl()
                : TestPostgres.jdbcUrl(postgresName);
    }

    /** The configuration a test daemon runs with: both policies every 2 seconds, HTTP on a free local port. */
    String config(String extra) {
        return config(extra, "");
    }

    /** @param extraTop keys beside the policies, under runsweep */
    String config(String extra, String extraTop) {
        return String.join(
                "\n",
                "runsweep {",
                "  database.url = \"" + jdbcUrl + "\"",
                "  http { host = \"127.0.0.1\", port = 0 }",
                "  daemon { health-interval = 1s, shutdown-timeout = 10s }",
                "  policies {",
                "    logs { table = log, time-column = timestamp, older-than = 30d, schedule = \"*/2 * * * * ?\" }",
                "    flow-runs {",
                "      table = flow_run, time-column = end_time, older-than = 30d, batch-size = 2, strategy = index",
                "      statuses { column = state_type, values = [COMPLETED, FAILED, CANCELLED, CRASHED] }",
                "      dependents = [{table = log, column = flow_run_id}]",
                "      schedule = \"*/2 * * * * ?\"",
                "    }",
                extra,
                "  }",
                extraTop,
                "}",
                "");
    }

    Settings settings(String extraPolicies) throws Exception {
        return settings(extraPolicies, "");
    }

    Settings settings(String extraPolicies, String extraTop) throws Exception {
        Path file = Files.writeString(dir.resolve("runsweep.conf"), config(extraPolicies, extraTop));
        return SettingsLoader.load(Optional.of(file), Map.of(), Crons::problem);
    }

    /** A daemon on this database with {@code settings}, running {@code jobs}. */
    Daemon start(Settings settings, DaemonJobs jobs) throws Exception {
        return Daemon.start(
                settings.daemon(),
                DatabaseUrl.parse(jdbcUrl),
                Connections.options(settings.database(), false),
                Clock.systemUTC(),
                jobs,
                List.of());
    }

    Database open() {
        return Databases.open(DatabaseUrl.parse(jdbcUrl), TestDatabases.options());
    }

    /**
     * Makes the database appear whole: seeded under another name, then renamed (PostgreSQL) or moved (SQLite)
     * into place. A daemon that polls for it meanwhile would otherwise run its policies on a half-seeded
     * database, delete a flow run before its log lines were written, and count fewer rows than the test expects.
     */
    void createAndSeed() throws Exception {
        if (kind == DatabaseKind.POSTGRESQL) {
            String seeding = postgresName + "_seeding";
            try (Connection c = TestPostgres.admin();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + seeding);
                try (Connection target = DriverManager.getConnection(TestPostgres.jdbcUrl(seeding))) {
                    PrefectSchema.create(target, SchemaDialect.of(kind));
                    seed(new TestRows(target));
                }
                renameOnceClosed(s, seeding);
            }
        } else {
            Path seeding = Files.createDirectories(dir.resolve("seeding"));
            try (Database database = TestDatabases.open(kind, seeding);
                    Connection c = database.connection();
                    Statement s = c.createStatement()) {
                PrefectSchema.create(c, SchemaDialect.of(kind));
                seed(new TestRows(c));
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            Files.move(seeding.resolve("prefect.db"), dir.resolve("prefect.db"), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The seeding session's backend may outlive its closed connection for a moment. */
    private void renameOnceClosed(Statement s, String seeding) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                s.execute("ALTER DATABASE " + seeding + " RENAME TO " + postgresName);
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || attempt == 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void seed(TestRows rows) throws Exception {
        Instant now = Instant.now();
        rows.insert("flow", "id", uuid(1), "name", "etl");
        for (int i = 0; i < 50; i++) {
            Instant at = now.minus(Duration.ofDays(i < 42 ? 40 + i : 1));
            rows.insert(
                    "log",
                    "id",
                    uuid(2000 + i),
                    "name",
                    "prefect",
                    "level",
                    20,
                    "message",
                    "line " + i,
                    "timestamp",
                    at);
        }
        for (int i = 0; i < 4; i++) {
            String run = uuid(100 + i);
            rows.insert(
                    "flow_run",
                    "id",
                    run,
                    "name",
                    "run-" + i,
                    "flow_id",
                    uuid(1),
                    "state_type",
                    "COMPLETED",
                    "end_time",
                    now.minus(Duration.ofDays(i < 3 ? 100 : 1)));
            for (int line = 0; line < 2; line++) {
                rows.insert(
                        "log",
                        "id",
                        uuid(3000 + 10 * i + line),
                        "name",
                        "prefect",
                        "level",
                        20,
                        "flow_run_id",
                        run,
                        "message",
                        "run line",
                        "timestamp",
                        now.minus(Duration.ofDays(1)));
            }
        }
    }

    /** The settings of a monthly partition set on {@link #createPartitionedRuns}' table, run every 2 seconds. */
    static final String PARTITION_SET =
            "  partitions.runs { table = \"Runs\", column = \"CreatedAt\", interval = monthly,"
                    + " premake = 2, retention = 1, schedule = \"*/2 * * * * ?\" }";

    /**
     * PostgreSQL: {@code "Runs"} partitioned by month on {@code "CreatedAt"}, with a partition for January 2020
     * (long expired), one for the current month, and a default partition holding one row of 2019.
     */
    void createPartitionedRuns(Instant now) throws Exception {
        java.time.LocalDate month =
                now.atZone(java.time.ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        try (Database database = open();
                Connection c = database.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE \"Runs\" (\"Id\" bigint NOT NULL, \"CreatedAt\" timestamptz NOT NULL)"
                    + " PARTITION BY RANGE (\"CreatedAt\")");
            s.execute("CREATE TABLE \"Runs_2020_01\" PARTITION OF \"Runs\" FOR VALUES FROM ('2020-01-01 00:00:00+00')"
                    + " TO ('2020-02-01 00:00:00+00')");
            s.execute("CREATE TABLE \"" + partitionName(month) + "\" PARTITION OF \"Runs\" FOR VALUES FROM ('" + month
                    + " 00:00:00+00') TO ('" + month.plusMonths(1) + " 00:00:00+00')");
            s.execute("CREATE TABLE \"Runs_default\" PARTITION OF \"Runs\" DEFAULT");
            s.execute("INSERT INTO \"Runs\" VALUES (1, '2019-06-01 00:00:00+00')");
        }
    }

    /** The partitions of {@code "Runs"}, sorted by name. */
    java.util.List<String> partitions() throws Exception {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (Database database = open();
                Connection c = database.connection();
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid ="
                        + " i.inhrelid WHERE i.inhparent = '\"Runs\"'::regclass ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static String partitionName(java.time.LocalDate month) {
        return String.format("Runs_%04d_%02d", month.getYear(), month.getMonthValue());
    }

    /** {@code count} log lines 60 days old, past any retention the tests set; ids from {@code firstId}. */
    static void insertOldLogs(TestRows rows, int firstId, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            rows.insert(
                    "log",
                    "id",
                    uuid(firstId + i),
                    "name",
                    "prefect",
                    "level",
                    20,
                    "message",
                    "old",
                    "timestamp",
                    Instant.now().minus(Duration.ofDays(60)));
        }
    }

    long count(String table) throws Exception {
        try (Database database = open();
                Connection c = database.connection()) {
            return new TestRows(c).count(table);
        }
    }
}
