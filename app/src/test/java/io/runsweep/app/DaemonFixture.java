package io.runsweep.app;

import static io.runsweep.sql.testing.TestRows.uuid;

import io.runsweep.app.process.Crons;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
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
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
                : TestPostgres.server().getJdbcUrl("postgres", postgresName);
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

    Database open() {
        return Databases.open(DatabaseUrl.parse(jdbcUrl), TestDatabases.options());
    }

    void createAndSeed() throws Exception {
        if (kind == DatabaseKind.POSTGRESQL) {
            try (Connection c = TestPostgres.server().getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + postgresName);
            }
        } else {
            TestDatabases.open(kind, dir).close();
        }
        try (Database database = open();
                Connection c = database.connection()) {
            PrefectSchema.create(c, SchemaDialect.of(kind));
            // In one transaction: a job that fires while the rows go in would otherwise see only the old ones, and
            // be refused for emptying the table.
            c.setAutoCommit(false);
            seed(new TestRows(c));
            c.commit();
            c.setAutoCommit(true);
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

    long count(String table) throws Exception {
        try (Database database = open();
                Connection c = database.connection()) {
            return new TestRows(c).count(table);
        }
    }
}
