package io.runsweep.jobs.alert;

import static io.runsweep.jobs.checks.ChecksScenario.CLOCK;
import static io.runsweep.jobs.checks.ChecksScenario.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import io.runsweep.config.Secret;
import io.runsweep.config.Settings;
import io.runsweep.config.WebhookSettings;
import io.runsweep.config.WebhookSettings.Format;
import io.runsweep.jobs.checks.Checks;
import io.runsweep.jobs.checks.ChecksScenario;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.LogCapture;
import io.runsweep.sql.testing.TestRows;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries to a real HTTP server on 127.0.0.1: bodies, retries, and a URL whose path never reaches a log. */
@Timeout(60)
class WebhookNotifierTest {
    static final String SECRET_PATH = "/services/T0001/B0002/s3cr3tT0ken";
    static final AlertState FIRING = new AlertState(
            "log-size", true, OptionalDouble.of(6_100_000_000.0), 5e9, "\"log\" total size 6.1 GB > 5.0 GB");

    /** What the server received: method, path, content type and body. */
    record Received(String method, String path, String contentType, String body) {}

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> statuses = new LinkedBlockingQueue<>();
    volatile CountDownLatch holdAnswers = new CountDownLatch(0);
    HttpServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                received.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8)));
                holdAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH;
    }

    private WebhookNotifier notifier(Format format, int retries) {
        return new WebhookNotifier(
                new WebhookSettings(new Secret(url()), format, Duration.ofSeconds(5), retries), Duration.ofMillis(20));
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(30, TimeUnit.SECONDS);
        assertNotNull(r, "the webhook was not called");
        return r;
    }

    @Test
    void aFailedPostIsRetriedAndTheSameBodyArrivesAgain() throws Exception {
        statuses.add(500);
        try (LogCapture log = new LogCapture(WebhookNotifier.class);
                WebhookNotifier notifier = notifier(Format.GENERIC, 3)) {
            notifier.changed(FIRING, NOW);

            String body = "{\"alert\":\"log-size\",\"state\":\"firing\",\"value\":6100000000,\"threshold\":5000000000,"
                    + "\"message\":\"\\\"log\\\" total size 6.1 GB > 5.0 GB\",\"at\":\"2026-06-01T00:00:00Z\"}";
            assertEquals(new Received("POST", SECRET_PATH, "application/json", body), next());
            assertEquals(new Received("POST", SECRET_PATH, "application/json", body), next());
            notifier.close();
            assertNull(received.poll(), "the second attempt succeeded: no third");
            assertEquals(
                    List.of(),
                    log.lines().stream().filter(l -> l.startsWith("WARN")).toList());
        }
    }

    @Test
    void slackGetsItsTextFieldWithTheLogLine() throws Exception {
        try (WebhookNotifier notifier = notifier(Format.SLACK, 0)) {
            notifier.changed(FIRING, NOW);

            assertEquals(
                    "{\"text\":\"[runsweep] alert log-size firing: \\\"log\\\" total size 6.1 GB > 5.0 GB\"}",
                    next().body());
        }
    }

    @Test
    void whenEveryAttemptFailsOneWarnLineSaysSoWithTheUrlCutToItsHost() throws Exception {
        statuses.addAll(List.of(500, 502, 503));
        try (LogCapture log = new LogCapture(WebhookNotifier.class)) {
            try (WebhookNotifier notifier = notifier(Format.GENERIC, 2)) {
                notifier.changed(FIRING, NOW);
                next();
                next();
                next();
            }

            String host = "http://127.0.0.1:" + server.getAddress().getPort() + "/****";
            assertEquals(
                    List.of("WARN alert log-size firing: webhook " + host + " failed after 3 attempts: HTTP 503"),
                    log.lines().stream().filter(l -> l.startsWith("WARN")).toList());
            assertFalse(
                    String.join("\n", log.lines()).contains("s3cr3t"),
                    log.lines().toString());
        }
    }

    @Test
    void anUnreachableEndpointIsReportedWithoutItsPath() throws Exception {
        String unreachable = url();
        String host = "http://127.0.0.1:" + server.getAddress().getPort() + "/****";
        server.stop(0);
        try (LogCapture log = new LogCapture(WebhookNotifier.class)) {
            WebhookNotifier notifier = new WebhookNotifier(
                    new WebhookSettings(new Secret(unreachable), Format.GENERIC, Duration.ofSeconds(5), 1),
                    Duration.ofMillis(20));
            notifier.changed(FIRING, NOW);
            notifier.close();

            List<String> warnings =
                    log.lines().stream().filter(l -> l.startsWith("WARN")).toList();
            assertEquals(1, warnings.size(), log.lines().toString());
            assertEquals(
                    "WARN alert log-size firing: webhook " + host + " failed after 2 attempts: ConnectException",
                    warnings.get(0));
            assertFalse(
                    String.join("\n", log.lines()).contains("s3cr3t"),
                    log.lines().toString());
        }
    }

    /** The endpoint holds its answer until the caller has its hands free again: a blocking call would never return. */
    @Test
    void changedReturnsBeforeTheEndpointAnswers() throws Exception {
        holdAnswers = new CountDownLatch(1);
        try (WebhookNotifier notifier = notifier(Format.GENERIC, 0)) {
            notifier.changed(FIRING, NOW);
            holdAnswers.countDown();

            assertEquals("POST", next().method());
        }
    }

    @Test
    void theEvaluatorPostsFiringAndThenResolvedFromRealChecks() throws Exception {
        try (Database database = ChecksScenario.emptyPrefect(DatabaseKind.SQLITE, dir);
                WebhookNotifier notifier = notifier(Format.GENERIC, 0)) {
            try (Connection c = database.connection()) {
                ChecksScenario.seed(new TestRows(c));
            }
            Settings settings = ChecksScenario.settings(dir, "alerts.log-rows { table = log, max-rows = 3 }");
            AlertEvaluator alerts = new AlertEvaluator(settings.alerts(), job -> Optional.empty(), notifier, CLOCK);
            Checks checks = new Checks(database, settings, CLOCK);

            alerts.evaluate(checks.run());
            assertEquals(
                    "{\"alert\":\"log-rows\",\"state\":\"firing\",\"value\":4,\"threshold\":3,"
                            + "\"message\":\"\\\"log\\\" rows 4 > 3\",\"at\":\"2026-06-01T00:00:00Z\"}",
                    next().body());

            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                assertEquals(2, s.executeUpdate("DELETE FROM log WHERE timestamp < '2026-03-03'"));
            }
            alerts.evaluate(checks.run());
            assertEquals(
                    "{\"alert\":\"log-rows\",\"state\":\"resolved\",\"value\":2,\"threshold\":3,"
                            + "\"message\":\"\\\"log\\\" rows 2 <= 3\",\"at\":\"2026-06-01T00:00:00Z\"}",
                    next().body());
        }
    }
}
