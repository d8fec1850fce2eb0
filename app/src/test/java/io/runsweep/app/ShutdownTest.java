package io.runsweep.app;

import static io.runsweep.sql.testing.TestRows.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real daemon process in the middle of a long purge: the batch under way commits or rolls
 * back whole, the process exits 0, and its JSON log says what it did.
 */
class ShutdownTest {
    static final int RUNS = 300;
    static final int BATCH = 5;

    @TempDir
    Path dir;

    @Test
    void sigtermMidBatchLosesNothingAndExitsZero() throws Exception {
        DaemonFixture fixture = new DaemonFixture(DatabaseKind.POSTGRESQL, dir);
        fixture.createAndSeed();
        seedBacklog(fixture);
        Path config = Files.writeString(
                dir.resolve("daemon.conf"),
                String.join(
                        "\n",
                        "runsweep {",
                        "  database.url = \"" + fixture.jdbcUrl + "\"",
                        "  http { host = \"127.0.0.1\", port = 0 }",
                        "  daemon.shutdown-timeout = 20s",
                        // Fixed batches by the index, so whole batches show as multiples of BATCH; every run in the
                        // table
                        // expires, which the over-deletion guard would otherwise refuse.
                        "  batch { min-size = " + BATCH + ", max-size = " + BATCH + " }",
                        "  policies.flow-runs {",
                        "    table = flow_run, time-column = end_time, older-than = 30d, batch-size = " + BATCH,
                        "    strategy = index, max-fraction = 1.0",
                        "    statuses { column = state_type, values = [COMPLETED] }",
                        "    dependents = [{table = log, column = flow_run_id}]",
                        "    schedule = \"* * * * * ?\"",
                        "  }",
                        "}",
                        ""));
        Path stderr = dir.resolve("daemon.log");
        Process daemon = Cli.process("daemon", "--config", config.toString(), "--log-format", "json")
                .redirectErrorStream(true)
                .redirectOutput(stderr.toFile())
                .start();
        long left;
        try {
            left = Await.until(
                    Duration.ofSeconds(60),
                    "the purge to be under way",
                    () -> fixture.count("flow_run") - 1,
                    n -> n < RUNS);
            daemon.destroy(); // SIGTERM
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon did not stop within 60 s");
        } finally {
            daemon.destroyForcibly();
        }

        String log = Files.readString(stderr);
        assertEquals(0, daemon.exitValue(), log);
        left = fixture.count("flow_run") - 1;
        long deleted = RUNS - left;
        assertTrue(left > 0, "the purge had finished before SIGTERM, so this proves nothing: " + log);
        assertEquals(0, deleted % BATCH, "only whole batches of " + BATCH + " were deleted: " + deleted);
        assertEquals(
                0,
                scalar(
                        fixture,
                        "SELECT count(*) FROM flow_run r WHERE"
                                + " (SELECT count(*) FROM log l WHERE l.flow_run_id = r.id) <> 2"),
                "a remaining run lost some of its logs");
        assertEquals(
                0,
                scalar(
                        fixture,
                        "SELECT count(*) FROM log l WHERE l.flow_run_id IS NOT NULL AND NOT EXISTS"
                                + " (SELECT 1 FROM flow_run r WHERE r.id = l.flow_run_id)"),
                "a deleted run left logs behind");

        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : log.split("\n")) {
            lines.add(json.readTree(line)); // every line is one JSON object
        }
        JsonNode summary = lines.stream()
                .filter(l -> l.path("formattedMessage").asText().startsWith("flow-runs - stopped: "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no summary line of the stopped run: " + log));
        assertEquals("INFO", summary.get("level").asText());
        assertEquals(
                "flow-runs - stopped: deleted " + deleted + " rows from \"flow_run\", " + 2 * deleted
                        + " from \"log\" in " + deleted / BATCH + " batches; stopped at the daemon stopping, about "
                        + left + " matching rows remain for the next run",
                summary.get("formattedMessage").asText().replaceAll(" \\(.*", ""));
        assertEquals(
                "[{\"job\":\"flow-runs\"},{\"outcome\":\"stopped\"},{\"rows_deleted\":\"" + 3 * deleted + "\"},",
                summary.get("kvpList").toString().replaceAll("\\{\"duration_seconds\".*", ""));
        assertTrue(
                lines.stream().anyMatch(l -> l.path("formattedMessage").asText().equals("stopped")), log);
    }

    /** RUNS finished runs 100 days old with 2 log lines each, and batches slowed to 0.1 s by a trigger. */
    private static void seedBacklog(DaemonFixture fixture) throws Exception {
        try (Database db = fixture.open();
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            // Only the fixture's recent run and its 2 log lines stay.
            s.execute("DELETE FROM log WHERE flow_run_id IS NULL OR flow_run_id IN"
                    + " (SELECT id FROM flow_run WHERE end_time < now() - interval '30 days')");
            s.execute("DELETE FROM flow_run WHERE end_time < now() - interval '30 days'");
            TestRows rows = new TestRows(c);
            Instant old = Instant.now().minus(Duration.ofDays(100));
            for (int i = 0; i < RUNS; i++) {
                String run = uuid(10_000 + i);
                rows.insert(
                        "flow_run",
                        "id",
                        run,
                        "name",
                        "run-" + i,
                        "flow_id",
                        uuid(1),
                        "state_type",
                        "COMPLETED",
                        "end_time",
                        old);
                rows.insert(
                        "log",
                        "id",
                        uuid(20_000 + 2 * i),
                        "name",
                        "p",
                        "level",
                        20,
                        "flow_run_id",
                        run,
                        "message",
                        "a",
                        "timestamp",
                        old);
                rows.insert(
                        "log",
                        "id",
                        uuid(20_001 + 2 * i),
                        "name",
                        "p",
                        "level",
                        20,
                        "flow_run_id",
                        run,
                        "message",
                        "b",
                        "timestamp",
                        old);
            }
            s.execute("CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN PERFORM pg_sleep(0.1); RETURN NULL; END $$");
            s.execute(
                    "CREATE TRIGGER slow_batches BEFORE DELETE ON flow_run FOR EACH STATEMENT EXECUTE FUNCTION slow_down()");
        }
    }

    private static long scalar(DaemonFixture fixture, String sql) throws Exception {
        try (Database db = fixture.open();
                Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
