package io.runsweep.app.daemon;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runsweep.config.DaemonSettings;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The daemon's HTTP side: /metrics for Prometheus, /health/live and /health/ready for orchestrators, /status
 * for people and scripts. Every answer is computed from state in memory, so none waits on the database; the
 * probes are answered on the server's reading thread, so that neither slow clients nor scrapes delay them.
 */
public final class HttpEndpoints implements AutoCloseable {
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final Set<String> PROBES = Set.of("/health/live", "/health/ready");

    private final HttpServerLoop server;

    private HttpEndpoints(HttpServerLoop server) {
        this.server = server;
    }

    public static HttpEndpoints start(
            DaemonSettings.Http http, PrometheusMeterRegistry registry, DatabaseHealth health, Supplier<String> status)
            throws IOException {
        Map<String, Supplier<HttpAnswer>> paths = Map.of(
                "/metrics", () -> new HttpAnswer(200, PROMETHEUS_TEXT, registry.scrape()),
                "/health/live", () -> HttpAnswer.text(200, "live\n"),
                "/health/ready",
                        () -> {
                            DatabaseHealth.State state = health.state();
                            return HttpAnswer.text(state.ready() ? 200 : 503, state.reason() + "\n");
                        },
                "/status", () -> new HttpAnswer(200, "application/json", status.get()));
        HttpRoutes routes = new HttpRoutes() {
            @Override
            public boolean inline(HttpRequest request) {
                return PROBES.contains(request.path()) || !paths.containsKey(request.path());
            }

            @Override
            public HttpAnswer answer(HttpRequest request) {
                Supplier<HttpAnswer> path = paths.get(request.path());
                if (path == null) {
                    return HttpAnswer.text(404, "not found: try /metrics, /health/live, /health/ready or /status\n");
                }
                if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                    return HttpAnswer.text(405, "only GET and HEAD\n");
                }
                return path.get();
            }
        };
        try {
            return new HttpEndpoints(HttpServerLoop.start(http, routes));
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen on " + http.host() + ":" + http.port() + " (runsweep.http): " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
