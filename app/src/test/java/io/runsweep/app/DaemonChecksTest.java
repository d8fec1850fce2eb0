package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.config.Settings;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.LogCapture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The checks' gauges exist within seconds of start, on every daemon beside one database, though the checks'
 * schedule would first fire in 2099: the checks run once at start, and they only read, so no daemon skips
 * them for want of the lock. No gauge is registered twice.
 */
class DaemonChecksTest {
    static final String LOG_ROWS = "runsweep_table_rows{schema=\"public\",table=\"log\"}";

    @TempDir
    Path dir;

    @Test
    void everyDaemonRunsTheChecksAtStartAndExportsThem() throws Exception {
        DaemonFixture fixture = new DaemonFixture(DatabaseKind.POSTGRESQL, dir);
        fixture.createAndSeed();
        Settings settings = fixture.settings(
                "    logs.enabled = false\n    flow-runs.enabled = false",
                "  checks { schedule = \"0 0 0 1 1 ? 2099\", exact-counts = true }\n"
                        + "  alerts.log-rows { table = log, max-rows = 3 }");
        Logger micrometer = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
        micrometer.setLevel(Level.DEBUG);
        try (LogCapture registrations = new LogCapture(MeterRegistry.class)) {
            Daemon a = fixture.start(settings, DaemonJobs.all(settings, Clock.systemUTC()));
            Daemon b = fixture.start(settings, DaemonJobs.all(settings, Clock.systemUTC()));
            try {
                for (Daemon daemon : List.of(a, b)) {
                    String metrics = Await.until(
                            Duration.ofSeconds(20),
                            "the checks' gauges",
                            () -> Http.get(daemon.httpPort(), "/metrics").body(),
                            m -> !Http.sample(m, LOG_ROWS).equals("absent"));
                    assertEquals("58.0", Http.sample(metrics, LOG_ROWS), "50 lines and 8 of runs");
                    assertEquals("1.0", Http.sample(metrics, "runsweep_alert_firing{alert=\"log-rows\"}"));
                    assertEquals(
                            "1.0",
                            Http.sample(
                                    metrics, "runsweep_job_runs_total{outcome=\"succeeded\",runsweep_job=\"checks\"}"));
                    assertEquals(
                            "0.0",
                            Http.sample(
                                    metrics,
                                    "runsweep_job_runs_total{outcome=\"skipped_locked\",runsweep_job=\"checks\"}"));
                    assertEquals(
                            "2099-01-01T00:00:00Z",
                            DaemonTest.JSON
                                    .readTree(daemon.status())
                                    .get("jobs")
                                    .get(0)
                                    .get("next_fire_time")
                                    .asText());
                }
            } finally {
                a.stop();
                b.stop();
                micrometer.setLevel(null);
            }
            assertEquals(List.of(), registrations.lines(), "no meter registered twice");
        }
    }
}
