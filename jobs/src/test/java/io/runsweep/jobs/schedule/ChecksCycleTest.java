package io.runsweep.jobs.schedule;

import static io.runsweep.jobs.checks.ChecksScenario.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runsweep.config.Settings;
import io.runsweep.jobs.alert.AlertEvaluator;
import io.runsweep.jobs.checks.ChecksScenario;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.JobLock;
import io.runsweep.sql.testing.LogCapture;
import io.runsweep.sql.testing.MutableClock;
import io.runsweep.sql.testing.TestRows;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's checks job end to end: real checks, gauges in a registry, WARN lines and a webhook POST. */
@Timeout(60)
class ChecksCycleTest {
    @TempDir
    Path dir;

    @Test
    void eachRunMeasuresEvaluatesNotifiesAndPublishes() throws Exception {
        BlockingQueue<String> posted = new LinkedBlockingQueue<>();
        HttpServer server = webhook(posted);
        MutableClock clock = new MutableClock(NOW);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir);
                LogCapture cycleLog = new LogCapture(ChecksCycle.class);
                LogCapture alertLog = new LogCapture(AlertEvaluator.class)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(
                    dir,
                    "alerts.webhook.url = \"http://127.0.0.1:"
                            + server.getAddress().getPort() + "/hook/s3cret\"",
                    "alerts.sweep-health { job = logs, max-time-since-success = 2h }",
                    "alerts.missing { table = nowhere, max-rows = 1 }");
            Optional<Instant> lastSuccess = Optional.of(NOW.minus(Duration.ofHours(1)));

            try (ChecksCycle cycle = new ChecksCycle(database, settings, job -> lastSuccess, registry, clock)) {
                ChecksCycle.Result first = cycle.run();
                clock.advance(Duration.ofHours(2));
                ChecksCycle.Result second = cycle.run();

                assertEquals(false, first.complete());
                assertEquals(
                        List.of(false, false),
                        first.alerts().stream().map(a -> a.firing()).toList());
                assertEquals(
                        List.of(true, false),
                        second.alerts().stream().map(a -> a.firing()).toList());
                assertEquals(
                        3,
                        registry.get("runsweep_rows_pending")
                                .tag("policy", "flow-runs")
                                .gauge()
                                .value());
                assertEquals(
                        1,
                        registry.get("runsweep_alert_firing")
                                .tag("alert", "sweep-health")
                                .gauge()
                                .value());
                assertEquals(
                        0,
                        registry.get("runsweep_alert_firing")
                                .tag("alert", "missing")
                                .gauge()
                                .value());
                String body = posted.poll(30, TimeUnit.SECONDS);
                assertNotNull(body, "the webhook was not called");
                assertEquals(
                        "{\"alert\":\"sweep-health\",\"state\":\"firing\",\"value\":10800,\"threshold\":7200,"
                                + "\"message\":\"job logs time since success 3h > 2h\",\"at\":\"2026-06-01T02:00:00Z\"}",
                        body);
            }
            assertEquals(
                    List.of(
                            "WARN checks - alert missing: table \"nowhere\" does not exist in the database",
                            "WARN checks - alert missing: table \"nowhere\" does not exist in the database"),
                    cycleLog.lines());
            assertEquals(
                    List.of("WARN alert sweep-health firing: job logs time since success 3h > 2h"), alertLog.lines());
        } finally {
            server.stop(0);
        }
    }

    /**
     * Every daemon runs the checks, lock or not, and exports what it measured; only the one holding the
     * checks' lock posts the changes it sees to the webhook.
     */
    @Test
    void withoutTheLockTheChecksMeasureAndPublishButDoNotPost() throws Exception {
        BlockingQueue<String> posted = new LinkedBlockingQueue<>();
        HttpServer server = webhook(posted);
        MutableClock clock = new MutableClock(NOW);
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(
                    dir,
                    "alerts.webhook.url = \"http://127.0.0.1:"
                            + server.getAddress().getPort() + "/hook\"",
                    "alerts.log-rows { table = log, max-rows = 3 }");
            SimpleMeterRegistry follower = new SimpleMeterRegistry();
            SimpleMeterRegistry holder = new SimpleMeterRegistry();
            try (ChecksCycle notLocked = new ChecksCycle(database, settings, job -> Optional.empty(), follower, clock);
                    ChecksCycle locked = new ChecksCycle(database, settings, job -> Optional.empty(), holder, clock)) {
                ChecksJob withoutLock = new ChecksJob(notLocked, "0 */5 * * * ?");
                ChecksJob withLock = new ChecksJob(locked, "0 */5 * * * ?");

                JobResult measured = withoutLock.run(() -> false, Optional.empty());
                assertEquals(JobOutcome.SUCCEEDED, measured.outcome(), measured.summary());
                assertEquals(
                        1,
                        follower.get("runsweep_alert_firing")
                                .tag("alert", "log-rows")
                                .gauge()
                                .value());
                assertEquals(null, posted.poll(2, TimeUnit.SECONDS), "a daemon without the lock posted");

                withLock.run(() -> false, Optional.of(JobLock.NONE));
                String body = posted.poll(30, TimeUnit.SECONDS);
                assertNotNull(body, "the daemon with the lock did not post");
                assertEquals(true, body.startsWith("{\"alert\":\"log-rows\",\"state\":\"firing\""), body);
                assertEquals(true, withLock.runsOnEveryDaemon() && withLock.runsAtStart());
            }
        } finally {
            server.stop(0);
        }
    }

    /** A webhook receiver that keeps each body POSTed to it. */
    private static HttpServer webhook(BlockingQueue<String> posted) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                posted.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
