package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.daemon.DaemonMeters;
import io.runsweep.app.daemon.DatabaseHealth;
import io.runsweep.app.daemon.HttpEndpoints;
import io.runsweep.config.DaemonSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that connect and then send too slowly, or stop halfway, as a slow network, a port scanner or an
 * attacker would: the probes still answer within a second, to a real HTTP client, and the server lets go of
 * such clients at its read timeout and its connection limit.
 */
@Timeout(120)
class HttpStallTest {
    static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final List<Socket> clients = new ArrayList<>();
    private DaemonMeters meters;
    private HttpEndpoints http;

    @AfterEach
    void closeEverything() {
        clients.forEach(HttpStallTest::closeQuietly);
        if (http != null) {
            http.close();
        }
        if (meters != null) {
            meters.close();
        }
    }

    @Test
    void fiftyClientsThatStopHalfwayAndTwoHundredThatTrickleDoNotDelayTheProbes() throws Exception {
        start(Duration.ofSeconds(60), 512);
        for (int i = 0; i < 50; i++) {
            send(connect(), "GET /sta");
        }
        List<Socket> tricklers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tricklers.add(connect());
        }
        String request = "GET /status HTTP/1.1\r\nHost: runsweep\r\nUser-Agent: slow\r\n";
        for (int round = 0; round < 5; round++) {
            for (Socket s : tricklers) {
                send(s, request.substring(round, round + 1));
            }
            assertEquals(new Answer(200, "live\n"), getWithin1s("/health/live"));
            assertEquals(503, getWithin1s("/health/ready").status(), "no database behind this server");
        }
        Answer metrics = getWithin1s("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("\nrunsweep_database_up 0.0\n"), metrics.body());
    }

    @Test
    void aClientThatDoesNotFinishItsRequestIsDisconnectedAtTheReadTimeout() throws Exception {
        start(Duration.ofMillis(500), 128);
        Socket slow = connect();
        send(slow, "GET /metrics HTTP/1.1\r\n");

        slow.setSoTimeout(10_000);
        assertEquals(-1, slow.getInputStream().read(), "the server closed the connection without an answer");
    }

    @Test
    void atTheConnectionLimitNewClientsPushOutTheOldestUnfinishedOnes() throws Exception {
        start(Duration.ofSeconds(60), 20);
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket s = connect();
            send(s, "GET /sta");
            stalled.add(s);
        }

        assertEquals(new Answer(200, "live\n"), getWithin1s("/health/live"));
        int closedByServer = 0;
        for (Socket s : stalled) {
            s.setSoTimeout(200);
            try {
                if (s.getInputStream().read() == -1) {
                    closedByServer++;
                }
            } catch (SocketTimeoutException stillOpen) {
                // kept: one of the newest
            } catch (IOException reset) {
                closedByServer++;
            }
        }
        assertTrue(closedByServer >= 31, "at most 19 stalled clients kept beside the probe; closed " + closedByServer);
    }

    @Test
    void answersGetHeadAndRefusesWhatItDoesNotServe() throws Exception {
        start(Duration.ofSeconds(10), 128);

        assertEquals(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
                        + "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
                raw("HEAD /health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
                        + "Cache-Control: no-store\r\nConnection: close\r\n\r\nlive\n",
                raw("GET /health/live?verbose=1 HTTP/1.0\n\n"));
        assertTrue(raw("POST /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
        assertTrue(raw("GET /nothing HTTP/1.1\r\n\r\n")
                .endsWith("\r\n\r\nnot found: try /metrics, /health/live, /health/ready or /status\n"));
        assertTrue(raw("HELLO\r\n\r\n").startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(raw("GET /metrics HTTP/1.1\r\nX: " + "a".repeat(9000) + "\r\n\r\n")
                .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        HttpResponse<String> metrics = CLIENT.send(
                HttpRequest.newBuilder(uri("/metrics"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(
                HttpEndpoints.PROMETHEUS_TEXT,
                metrics.headers().firstValue("Content-Type").orElse(""));
    }

    private void start(Duration readTimeout, int maxConnections) throws IOException {
        meters = new DaemonMeters();
        DatabaseHealth health = new DatabaseHealth(meters.registry());
        http = HttpEndpoints.start(
                new DaemonSettings.Http(true, "127.0.0.1", 0, readTimeout, Duration.ofSeconds(10), maxConnections),
                meters.registry(),
                health,
                () -> "{}\n");
    }

    record Answer(int status, String body) {}

    /** A real HTTP client that gives up after one second. */
    private Answer getWithin1s(String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", http.port()), 5000);
        clients.add(s);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a request as written and reads the whole answer, up to the server's close. */
    private String raw(String request) throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout(5000);
            send(s, request);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the server may have closed it first
        }
    }
}
