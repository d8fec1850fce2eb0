package io.runsweep.jobs.alert;

import io.runsweep.config.WebhookSettings;
import io.runsweep.jobs.common.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each change of an alert to a webhook, from a thread of its own so that a slow or dead endpoint
 * never holds up a job. A failed attempt (no answer, or a status other than 2xx) is retried after 1 s,
 * 2 s, 4 s, ...; when every attempt failed, one WARN line says so. Logs show the URL as its scheme, host
 * and port only: a Slack webhook's path is its password.
 */
public final class WebhookNotifier implements AlertListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final WebhookSettings settings;
    private final Backoff backoff;
    private final HttpClient client;
    private final ExecutorService sender;

    public WebhookNotifier(WebhookSettings settings) {
        this(settings, FIRST_BACKOFF);
    }

    /** @param firstBackoff the wait before the first retry; each later one waits twice as long */
    WebhookNotifier(WebhookSettings settings, Duration firstBackoff) {
        this.settings = settings;
        this.backoff = Backoff.doubling(firstBackoff, false);
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "runsweep-webhook");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues the POST and returns at once. */
    @Override
    public void changed(AlertState state, Instant at) {
        String body = WebhookBody.render(settings.format(), state, at);
        sender.execute(() -> deliver(state, body));
    }

    private void deliver(AlertState state, String body) {
        Optional<String> failure = Optional.empty();
        int attempts = settings.retries() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1 && !pause(backoff.delay(attempt - 1))) {
                return; // closing: the notifier is going away
            }
            failure = post(body);
            if (failure.isEmpty()) {
                return;
            }
            LOG.debug(
                    "alert {} webhook {}: attempt {} of {} failed: {}",
                    state.name(),
                    settings.maskedUrl(),
                    attempt,
                    attempts,
                    failure.get());
        }
        LOG.warn(
                "alert {} {}: webhook {} failed after {} attempts: {}",
                state.name(),
                state.firing() ? "firing" : "resolved",
                settings.maskedUrl(),
                attempts,
                failure.orElseThrow());
    }

    /** Empty when the endpoint took it; else why not. */
    private Optional<String> post(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url().reveal()))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "runsweep")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            int status =
                    client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? Optional.empty() : Optional.of("HTTP " + status);
        } catch (IOException e) {
            return Optional.of(masked(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** An I/O error's text, with the URL (should a message quote it) cut to its host. */
    private String masked(IOException e) {
        String url = settings.url().reveal();
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        String path = URI.create(url).getRawPath();
        text = text.replace(url, settings.maskedUrl());
        return path == null || path.length() <= 1 ? text : text.replace(path, "/****");
    }

    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Lets a delivery under way finish for up to one timeout, then drops what is left. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
