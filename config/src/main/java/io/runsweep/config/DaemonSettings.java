package io.runsweep.config;

import java.time.Duration;

/**
 * How {@code runsweep daemon} runs: its HTTP endpoints, its scheduler threads, how it watches the
 * database and how it stops, and the format of its log.
 *
 * @param threads jobs that may run at the same time; a job never overlaps itself
 * @param shutdownTimeout on SIGTERM, how long the batch under way may take to commit or roll back
 * @param healthInterval how often the database is asked a trivial query (and retried when it could not be opened)
 * @param healthTimeout how long that query may take before the database counts as down
 */
public record DaemonSettings(
        Http http,
        int threads,
        Duration shutdownTimeout,
        Duration healthInterval,
        Duration healthTimeout,
        LogFormat logFormat) {

    /**
     * {@code runsweep.http}: where /metrics, /health/live, /health/ready and /status are served, and the bounds
     * that keep slow or stalled clients from holding the server.
     *
     * @param readTimeout longest a client may take to send its request, from its connection on
     * @param writeTimeout longest a client may take to read the answer
     * @param maxConnections connections open at once; at the limit, the oldest one still sending its request goes
     */
    public record Http(
            boolean enabled, String host, int port, Duration readTimeout, Duration writeTimeout, int maxConnections) {}

    /** {@code runsweep.log.format}: lines for a person, or one JSON object per line for a log collector. */
    public enum LogFormat {
        TEXT,
        JSON
    }
}
