package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.app.process.Crons;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.schedule.JobOutcome;
import io.runsweep.jobs.schedule.JobRun;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL of the test's own, stopped (a fast shutdown: every session ends, SQL state 57P01) and started
 * again on the same data and port while the daemon is in the middle of a run: the run carries on on new
 * connections, takes the job's lock again, and succeeds; the daemon reports the database down, and why (the
 * refused connection behind the pool's wait), then up.
 */
class PostgresRestartTest {
    static final int BACKLOG = 300;

    @TempDir
    Path dir;

    @Test
    void aRunUnderWayAcrossARestartSucceedsAndTheDaemonCarriesOn() throws Exception {
        Path data = dir.resolve("pgdata");
        int port = freePort();
        EmbeddedPostgres server = start(data, port);
        String url = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
        seed(url);
        Settings settings = settings(url);
        List<JobRun> runs = new CopyOnWriteArrayList<>();
        Daemon daemon = Daemon.start(
                settings.daemon(),
                DatabaseUrl.parse(url),
                Connections.options(settings.database(), false),
                Clock.systemUTC(),
                DaemonJobs.policies(settings, Clock.systemUTC()),
                List.of(runs::add));
        Instant stopped;
        Instant restarted;
        try {
            Await.until(Duration.ofSeconds(60), "the run to be under way", () -> left(url), n -> n < BACKLOG);
            stopped = Instant.now();
            server.close();
            Await.until(
                    Duration.ofSeconds(30),
                    "the daemon to see the database down",
                    () -> Http.sample(Http.get(daemon.httpPort(), "/metrics").body(), "runsweep_database_up"),
                    "0.0"::equals);
            Http.Response down = Await.until(
                    Duration.ofSeconds(30),
                    "readiness to say why the pool has no connection",
                    () -> Http.get(daemon.httpPort(), "/health/ready"),
                    r -> r.body().contains("Connection is not available"));
            assertEquals(503, down.status());
            assertTrue(
                    down.body().startsWith("the database did not answer SELECT 1: SQL State 08001, error code 0: "),
                    down.body());
            assertTrue(
                    down.body()
                            .endsWith("; the last attempt to connect failed: Connection to localhost:" + port
                                    + " refused. Check that the hostname and port are correct and that the postmaster"
                                    + " is accepting TCP/IP connections.\n"),
                    down.body());
            server = start(data, port);
            restarted = Instant.now();

            JobRun across = Await.until(
                            Duration.ofSeconds(120),
                            "the run under way to end",
                            () -> runs.stream()
                                    .filter(r -> r.startedAt().isBefore(stopped))
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
            assertEquals(JobOutcome.SUCCEEDED, across.outcome(), across.result().summary());
            assertTrue(across.endedAt().isAfter(restarted), "it ended after the restart");
            assertEquals(0, left(url), "every due row is gone");
            assertEquals(
                    "ready\n",
                    Await.until(
                                    Duration.ofSeconds(30),
                                    "ready again",
                                    () -> Http.get(daemon.httpPort(), "/health/ready"),
                                    r -> r.status() == 200)
                            .body());
            Await.until(
                    Duration.ofSeconds(30),
                    "a run that started after the restart to succeed",
                    () -> runs.stream()
                            .anyMatch(r -> r.startedAt().isAfter(restarted) && r.outcome() == JobOutcome.SUCCEEDED),
                    done -> done);
        } finally {
            daemon.stop();
            server.close();
        }
    }

    /** The policy deletes 20 old log lines per batch, a batch every 300 ms: a run of about 5 s. */
    private Settings settings(String url) throws Exception {
        Path file = Files.writeString(
                dir.resolve("runsweep.conf"),
                String.join(
                        "\n",
                        "runsweep {",
                        "  database.url = \"" + url + "\"",
                        "  http { host = \"127.0.0.1\", port = 0 }",
                        "  daemon { health-interval = 500ms, shutdown-timeout = 10s }",
                        "  batch { min-size = 20, max-size = 20, pause = 300ms, retries = 6, retry-backoff = 500ms }",
                        "  policies.logs {",
                        "    table = log, time-column = timestamp, older-than = 30d, batch-size = 20, strategy = index",
                        "    max-fraction = 1.0, schedule = \"*/2 * * * * ?\"",
                        "  }",
                        "}",
                        ""));
        return SettingsLoader.load(Optional.of(file), Map.of(), Crons::problem);
    }

    private static void seed(String url) throws Exception {
        try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options());
                Connection c = db.connection()) {
            PrefectSchema.create(c, SchemaDialect.of(DatabaseKind.POSTGRESQL));
            TestRows rows = new TestRows(c);
            DaemonFixture.insertOldLogs(rows, 0, BACKLOG);
            // A young line stays: a run that would empty the table is refused as a likely mistake.
            rows.insert(
                    "log",
                    "id",
                    java.util.UUID.randomUUID(),
                    "name",
                    "prefect",
                    "level",
                    20,
                    "message",
                    "young",
                    "timestamp",
                    java.time.Instant.now());
        }
    }

    private static long left(String url) throws Exception {
        try (Database db = Databases.open(
                        DatabaseUrl.parse(url), TestDatabases.options().withPoolSize(1));
                Connection c = db.connection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM log WHERE timestamp < now() - interval '30 days'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The same data directory and port each time: a restart, as a client sees it. */
    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
