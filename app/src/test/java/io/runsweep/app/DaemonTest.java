package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.app.daemon.HttpEndpoints;
import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.schedule.JobExecutor;
import io.runsweep.jobs.schedule.JobObserver;
import io.runsweep.jobs.schedule.JobRun;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The daemon in-process against a real SQLite file and a real PostgreSQL, over real HTTP: it waits for a
 * database that is not there yet, then runs both policies every 2 seconds, and /metrics, /health/ready
 * and /status say so.
 */
class DaemonTest {
    static final Duration LIMIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void waitsForTheDatabaseThenRunsEveryPolicyOnItsScheduleAndReportsIt(DatabaseKind kind) throws Exception {
        DaemonFixture fixture = new DaemonFixture(kind, dir);
        Settings settings = fixture.settings("");
        List<JobRun> runs = new CopyOnWriteArrayList<>();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger executorLog = (Logger) LoggerFactory.getLogger(JobExecutor.class);
        executorLog.addAppender(log);
        executorLog.setLevel(Level.INFO); // as "runsweep daemon" logs; a CLI test before may have quietened the root
        Daemon daemon = Daemon.start(
                settings.daemon(),
                DatabaseUrl.parse(fixture.jdbcUrl),
                Connections.options(settings.database(), false),
                Clock.systemUTC(),
                DaemonJobs.policies(settings, Clock.systemUTC()),
                List.of((JobObserver) runs::add));
        int port = daemon.httpPort();
        try {
            // No database yet: alive, not ready, and why.
            assertEquals(new Http.Response(200, "text/plain; charset=utf-8", "live\n"), Http.get(port, "/health/live"));
            Http.Response notReady = Await.until(
                    LIMIT,
                    "a readiness answer naming the missing database",
                    () -> Http.get(port, "/health/ready"),
                    r -> r.body().startsWith("cannot reach the database"));
            assertEquals(503, notReady.status());
            assertTrue(
                    notReady.body()
                            .contains(
                                    kind == DatabaseKind.SQLITE ? "SQLite database file not found" : "does not exist"),
                    notReady.body());
            assertEquals("0.0", Http.sample(Http.get(port, "/metrics").body(), "runsweep_database_up"));
            JsonNode waiting = JSON.readTree(Http.get(port, "/status").body());
            assertEquals(false, waiting.get("ready").asBoolean());
            assertEquals(0, waiting.get("jobs").size());

            fixture.createAndSeed();

            Http.Response ready =
                    Await.until(LIMIT, "ready", () -> Http.get(port, "/health/ready"), r -> r.status() == 200);
            assertEquals("ready\n", ready.body());
            JsonNode status = Await.until(
                    LIMIT,
                    "a run of both jobs in /status",
                    () -> JSON.readTree(Http.get(port, "/status").body()),
                    s -> s.get("jobs").size() == 2
                            && lastOutcome(s, 0).equals("succeeded")
                            && lastOutcome(s, 1).equals("succeeded"));
            assertEquals(
                    List.of("logs", "flow-runs"),
                    List.of(
                            status.get("jobs").get(0).get("name").asText(),
                            status.get("jobs").get(1).get("name").asText()));
            for (JsonNode job : status.get("jobs")) {
                assertEquals("*/2 * * * * ?", job.get("schedule").asText());
                Instant started =
                        Instant.parse(job.get("last_run").get("started_at").asText());
                assertTrue(Instant.parse(job.get("next_fire_time").asText()).isAfter(started), job.toString());
                assertTrue(job.get("runs").asLong() >= 1, job.toString());
                assertEquals("null", job.get("last_run").get("error").toString());
            }

            Http.Response metrics = Http.get(port, "/metrics");
            assertEquals(HttpEndpoints.PROMETHEUS_TEXT, metrics.contentType());
            String text = metrics.body();
            String schema = kind == DatabaseKind.SQLITE ? "main" : "public";
            assertEquals(
                    "42.0",
                    Http.sample(
                            text,
                            "runsweep_rows_deleted_total{policy=\"logs\",schema=\"" + schema + "\",table=\"log\"}"));
            assertEquals(
                    "3.0",
                    Http.sample(
                            text,
                            "runsweep_rows_deleted_total{policy=\"flow-runs\",schema=\"" + schema
                                    + "\",table=\"flow_run\"}"));
            assertEquals(
                    "6.0",
                    Http.sample(
                            text,
                            "runsweep_rows_deleted_total{policy=\"flow-runs\",schema=\"" + schema
                                    + "\",table=\"log\"}"));
            assertEquals(
                    "2",
                    Http.sample(text, "runsweep_batch_duration_seconds_count{policy=\"flow-runs\"}"),
                    "3 rows in batches of 2: one full batch and one short one; later runs find nothing");
            assertEquals("0.0", Http.sample(text, "runsweep_job_runs_total{outcome=\"failed\",runsweep_job=\"logs\"}"));
            assertEquals(
                    "0.0",
                    Http.sample(text, "runsweep_job_runs_total{outcome=\"skipped_locked\",runsweep_job=\"logs\"}"));
            assertEquals("1.0", Http.sample(text, "runsweep_database_up"));
            assertEquals("2.0", Http.sample(text, "hikaricp_connections_max{pool=\"runsweep\"}"));
            assertEquals("3.0", Http.sample(text, "hikaricp_connections_max{pool=\"runsweep-daemon\"}"));
            assertTrue(text.contains("\njvm_memory_used_bytes{"), "JVM metrics are exported");
            assertTrue(text.contains("\nprocess_uptime_seconds "), "process metrics are exported");
            assertTrue(!Http.sample(text, "runsweep_job_last_success_timestamp_seconds{runsweep_job=\"logs\"}")
                    .equals("absent"));
            assertEquals(10, fixture.count("log"), "8 recent lines and the 2 of the recent run are left");
            assertEquals(1, fixture.count("flow_run"));
        } finally {
            daemon.stop();
            executorLog.detachAppender(log);
            executorLog.setLevel(null);
        }
        assertThrows(ConnectException.class, () -> Http.get(port, "/health/live"), "HTTP stops with the daemon");
        List<String> lines =
                log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(runs.size(), lines.size(), "one log line per job run: " + lines);
        for (JobRun run : runs) {
            assertTrue(
                    lines.contains(run.job() + " - " + run.outcome().label() + ": "
                            + run.result().summary() + " ("
                            + String.format("%.2f s", run.duration().toNanos() / 1e9) + ")"),
                    lines.toString());
        }
        assertEquals(
                42,
                runs.stream()
                        .filter(r -> r.job().equals("logs"))
                        .mapToLong(r -> r.result().totalRows())
                        .sum());
    }

    private static String lastOutcome(JsonNode status, int job) {
        JsonNode last = status.get("jobs").get(job).get("last_run");
        return last.isNull() ? "none" : last.get("outcome").asText();
    }
}
