package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /status shows, per partition set, the partitions past retention with their rows and bytes, from the checks. */
class PartitionStatusTest {
    @TempDir
    Path dir;

    @Test
    void statusShowsThePartitionsPastRetentionWithTheirRowsAndBytes() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            long bytes;
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE runs (id bigint NOT NULL, created timestamptz NOT NULL)"
                        + " PARTITION BY RANGE (created)");
                s.execute("CREATE TABLE runs_2020_01 PARTITION OF runs FOR VALUES FROM ('2020-01-01') TO"
                        + " ('2020-02-01')");
                s.execute("INSERT INTO runs SELECT g, timestamptz '2020-01-10' FROM generate_series(1, 25) g");
                try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('runs_2020_01')")) {
                    rs.next();
                    bytes = rs.getLong(1);
                }
            }
            Path config = Files.writeString(
                    dir.resolve("runsweep.conf"),
                    String.join(
                            "\n",
                            "runsweep {",
                            "  database.url = \"" + database.url().jdbcUrl() + "\"",
                            "  database.user = \"" + database.url().user().orElse("") + "\"",
                            "  http { host = \"127.0.0.1\", port = 0 }",
                            "  checks.schedule = \"* * * * * ?\"",
                            "  partitions.runs { table = runs, column = created, interval = monthly,"
                                    + " retention = \"6 months\", on-expire = detach }",
                            "}",
                            ""));
            Settings settings =
                    SettingsLoader.load(Optional.of(config), Map.of(), io.runsweep.app.process.Crons::problem);
            Daemon daemon = Daemon.start(
                    settings.daemon(),
                    database.url(),
                    Connections.options(settings.database(), false),
                    Clock.systemUTC(),
                    DaemonJobs.all(settings, Clock.systemUTC()),
                    List.of());
            try {
                JsonNode status = Await.until(
                        Duration.ofSeconds(60),
                        "the partition set in /status",
                        () -> new ObjectMapper()
                                .readTree(Http.get(daemon.httpPort(), "/status").body()),
                        s -> s.get("partitions").size() == 1);

                JsonNode set = status.get("partitions").get(0);
                assertEquals("runs", set.get("set").asText());
                assertEquals("runs", set.get("table").asText());
                assertEquals(1, set.get("past_retention").size());
                JsonNode partition = set.get("past_retention").get(0);
                assertEquals("runs_2020_01", partition.get("partition").asText());
                assertEquals("detach", partition.get("action").asText());
                assertEquals(25, partition.get("rows").asLong());
                assertEquals(false, partition.get("rows_estimated").asBoolean());
                assertEquals(bytes, partition.get("bytes").asLong());
            } finally {
                daemon.stop();
            }
        }
    }
}
