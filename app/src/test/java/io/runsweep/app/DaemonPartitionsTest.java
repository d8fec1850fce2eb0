package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.config.Settings;
import io.runsweep.sql.DatabaseKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon keeps a partition set by itself, on the set's schedule: partitions made ahead, the expired one
 * dropped, under a job of its own with its metrics and its /status entry.
 */
class DaemonPartitionsTest {
    @TempDir
    Path dir;

    @Test
    void theDaemonMakesPartitionsAheadAndDropsExpiredOnesOnItsOwn() throws Exception {
        DaemonFixture fixture = new DaemonFixture(DatabaseKind.POSTGRESQL, dir);
        fixture.createAndSeed();
        Instant now = Instant.now();
        fixture.createPartitionedRuns(now);
        Settings settings = fixture.settings("", DaemonFixture.PARTITION_SET);
        Daemon daemon = fixture.start(settings, DaemonJobs.all(settings, Clock.systemUTC()));
        try {
            JsonNode job = Await.until(
                    Duration.ofSeconds(60),
                    "a successful run of partitions.runs in /status",
                    () -> job(daemon, "partitions.runs"),
                    j -> j.path("last_run").path("outcome").asText().equals("succeeded"));

            LocalDate month = now.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
            assertEquals(
                    List.of(
                            DaemonFixture.partitionName(month),
                            DaemonFixture.partitionName(month.plusMonths(1)),
                            DaemonFixture.partitionName(month.plusMonths(2)),
                            "Runs_default"),
                    fixture.partitions(),
                    "two months made ahead, January 2020 dropped");
            assertEquals("*/2 * * * * ?", job.get("schedule").asText());
            assertEquals(
                    "\"Runs\": created 2, detached 1, dropped 1, archived 0; 2 of 2 future partitions ready; 1 row in"
                            + " the default partition \"Runs_default\": \"CreatedAt\" falls in no range partition",
                    job.get("last_run").get("summary").asText());
            String metrics = Http.get(daemon.httpPort(), "/metrics").body();
            assertEquals("2.0", Http.sample(metrics, "runsweep_partitions_ahead{set=\"runs\"}"));
            assertEquals("1.0", Http.sample(metrics, "runsweep_partition_default_rows{set=\"runs\"}"));
            assertEquals(
                    "0.0",
                    Http.sample(
                            metrics, "runsweep_job_runs_total{outcome=\"failed\",runsweep_job=\"partitions.runs\"}"));
        } finally {
            daemon.stop();
        }
    }

    private static JsonNode job(Daemon daemon, String name) throws Exception {
        for (JsonNode job : DaemonTest.JSON.readTree(daemon.status()).get("jobs")) {
            if (job.get("name").asText().equals(name)) {
                return job;
            }
        }
        return DaemonTest.JSON.createObjectNode();
    }
}
