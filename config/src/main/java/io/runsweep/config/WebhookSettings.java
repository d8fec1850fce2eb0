package io.runsweep.config;

import java.net.URI;
import java.time.Duration;

/**
 * Where alert changes are POSTed. The URL is a {@link Secret}: a Slack webhook's path is its password.
 *
 * @param retries attempts after the first failed one
 */
public record WebhookSettings(Secret url, Format format, Duration timeout, int retries) {

    /** The JSON body: Runsweep's own fields, or Slack's {@code {"text": ...}}. */
    public enum Format {
        GENERIC,
        SLACK
    }

    /** Scheme, host and port only, for every log line and display: {@code https://hooks.slack.com/****}. */
    public String maskedUrl() {
        URI uri = URI.create(url.reveal());
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + port + "/" + Secret.MASK;
    }
}
