package io.runsweep.app.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runsweep.config.DaemonSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The daemon's HTTP side, on the JDK's own server: /metrics for Prometheus, /health/live and
 * /health/ready for orchestrators, /status for people and scripts. Every answer is computed from state
 * in memory, so none waits on the database.
 */
public final class HttpEndpoints implements AutoCloseable {
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService threads;

    private HttpEndpoints(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    public static HttpEndpoints start(
            DaemonSettings.Http http, PrometheusMeterRegistry registry, DatabaseHealth health, Supplier<String> status)
            throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(http.host(), http.port()), 16);
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen on " + http.host() + ":" + http.port() + " (runsweep.http): " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "runsweep-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/metrics", e -> answer(e, 200, PROMETHEUS_TEXT, registry.scrape()));
        server.createContext("/health/live", e -> answer(e, 200, "text/plain; charset=utf-8", "live\n"));
        server.createContext("/health/ready", e -> {
            DatabaseHealth.State state = health.state();
            answer(e, state.ready() ? 200 : 503, "text/plain; charset=utf-8", state.reason() + "\n");
        });
        server.createContext("/status", e -> answer(e, 200, "application/json", status.get()));
        server.createContext(
                "/",
                e -> answer(
                        e,
                        404,
                        "text/plain; charset=utf-8",
                        "not found: try /metrics, /health/live, /health/ready or /status\n"));
        server.start();
        return new HttpEndpoints(server, threads);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean exact = exchange.getRequestURI()
                    .getPath()
                    .equals(exchange.getHttpContext().getPath());
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", true);
            } else if (!exact && code != 404) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n", true);
            } else {
                send(exchange, code, contentType, body, method.equals("GET"));
            }
        }
    }

    private static void send(HttpExchange exchange, int code, String contentType, String body, boolean withBody)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(code, withBody ? bytes.length : -1);
        if (withBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(1);
        threads.shutdownNow();
    }
}
