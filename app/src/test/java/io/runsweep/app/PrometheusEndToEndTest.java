package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.config.Settings;
import io.runsweep.sql.DatabaseKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package) scrapes a real daemon with deploy/'s scrape settings and alert
 * rules; every query of the dashboard and of the rules returns data, and a failing job fires its alert.
 * promtool checks the exposition and the rules, and runs the rules' unit tests.
 */
class PrometheusEndToEndTest {

    static final Duration LIMIT = Duration.ofSeconds(90);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void everyDashboardAndAlertQueryReturnsDataFromARealScrape() throws Exception {
        assumeTrue(
                onPath("prometheus") && onPath("promtool"),
                "needs Debian's prometheus package (prometheus and promtool on the PATH): apt-get install -y prometheus");
        // PostgreSQL, so that the dead-row panel has data too.
        DaemonFixture fixture = new DaemonFixture(DatabaseKind.POSTGRESQL, dir);
        fixture.createAndSeed();
        fixture.createPartitionedRuns(java.time.Instant.now());
        Settings settings = fixture.settings(
                "    broken { table = no_such_table, time-column = created, older-than = 1d, schedule = \"*/2 * * * * ?\" }",
                "  checks.schedule = \"*/2 * * * * ?\"\n  alerts.log-too-big { table = log, max-total-size = 5GB }\n"
                        + DaemonFixture.PARTITION_SET);
        Daemon daemon = fixture.start(settings, DaemonJobs.all(settings, Clock.systemUTC()));
        Process prometheus = null;
        try {
            Await.until(
                    LIMIT,
                    "a run of every job",
                    () -> Http.get(daemon.httpPort(), "/metrics").body(),
                    m -> m.contains("runsweep_job_last_success_timestamp_seconds{runsweep_job=\"logs\"}")
                            && m.contains("runsweep_job_last_success_timestamp_seconds{runsweep_job=\"flow-runs\"}")
                            && m.contains("runsweep_job_runs_total{outcome=\"failed\",runsweep_job=\"broken\"} 1.0")
                            && m.contains("runsweep_partitions_ahead{set=\"runs\"} 2.0"));
            promtool("check metrics", Http.get(daemon.httpPort(), "/metrics").body(), "check", "metrics");
            promtool(
                    "check rules",
                    "",
                    "check",
                    "rules",
                    DeployFiles.DEPLOY.resolve("prometheus/rules.yml").toString());
            promtool(
                    "test rules",
                    "",
                    "test",
                    "rules",
                    DeployFiles.DEPLOY.resolve("prometheus/rules.test.yml").toString());
            promtool(
                    "check config",
                    "",
                    "check",
                    "config",
                    DeployFiles.DEPLOY.resolve("prometheus/prometheus.yml").toString());

            int port = freePort();
            prometheus = startPrometheus(daemon.httpPort(), port);
            Await.until(
                    LIMIT,
                    "Prometheus to scrape the daemon",
                    () -> query(port, "up{job=\"runsweep\"} == 1"),
                    r -> r.size() == 1);

            Map<String, String> queries = new LinkedHashMap<>(DeployFiles.dashboardQueries());
            DeployFiles.alertRules().forEach((name, expr) -> queries.put(name, DeployFiles.withoutThreshold(expr)));
            for (Map.Entry<String, String> q : queries.entrySet()) {
                // A subquery step of minutes evaluates only at whole steps; a test that lives for a minute or two
                // asks the same expression at a step of seconds, so that its points fall where samples exist.
                String expr = DeployFiles.asPrometheusSees(q.getValue()).replaceAll(":(\\d+)m]", ":5s]");
                Await.until(LIMIT, q.getKey() + " to return data: " + expr, () -> query(port, expr), r -> r.size() > 0);
            }

            // The broken policy fails, and so do the checks, which cannot measure its backlog; the rest succeed.
            JsonNode firing = Await.until(
                    LIMIT,
                    "the broken policy's job and the checks to fire RunsweepJobFailing",
                    () -> query(port, "ALERTS{alertname=\"RunsweepJobFailing\",alertstate=\"firing\"}"),
                    r -> r.size() == 2);
            List<String> failing = new ArrayList<>();
            firing.forEach(
                    alert -> failing.add(alert.get("metric").get("runsweep_job").asText()));
            assertEquals(List.of("broken", "checks"), failing.stream().sorted().toList(), firing.toString());
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
            daemon.stop();
        }
    }

    /** deploy/prometheus/prometheus.yml, pointed at the test's daemon, scraping and evaluating every second. */
    private Process startPrometheus(int daemonPort, int port) throws IOException {
        ObjectNode config = (ObjectNode) DeployFiles.yaml("prometheus/prometheus.yml");
        ((ObjectNode) config.get("global")).put("scrape_interval", "1s").put("evaluation_interval", "1s");
        ArrayNode rules = config.putArray("rule_files");
        rules.add(DeployFiles.DEPLOY.resolve("prometheus/rules.yml").toString());
        ObjectNode job = (ObjectNode) config.get("scrape_configs").get(0);
        assertEquals("runsweep", job.get("job_name").asText());
        ((ArrayNode) job.get("static_configs").get(0).get("targets"))
                .removeAll()
                .add("127.0.0.1:" + daemonPort);
        Path file = dir.resolve("prometheus.yml");
        DeployFiles.YAML.writeValue(file.toFile(), config);
        return new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + file,
                        "--storage.tsdb.path=" + dir.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    /** The result vector of an instant query; fails unless Prometheus says "success". */
    private static JsonNode query(int port, String expr) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                                + URLEncoder.encode(expr, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = DeployFiles.JSON.readTree(response.body());
        assertEquals("success", body.path("status").asText(), expr + ": " + response.body());
        return body.get("data").get("result");
    }

    private void promtool(String what, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Path output = dir.resolve("promtool.out");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool " + what + " did not finish");
        String out = Files.readString(output);
        assertEquals(0, p.exitValue(), "promtool " + what + ":\n" + out);
        if (what.equals("check metrics")) {
            assertEquals("", out, "promtool check metrics found problems");
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
