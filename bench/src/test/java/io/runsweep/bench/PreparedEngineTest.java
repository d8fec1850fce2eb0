package io.runsweep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.bench.measure.BenchPolicy;
import io.runsweep.bench.measure.Measured;
import io.runsweep.bench.measure.Methods;
import io.runsweep.sql.DatabaseUrl;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's engine collects garbage while it is prepared, before the server's or the writer's measured time,
 * and not when it runs: a collection stops every thread of the bench, the server's it plays among them.
 */
class PreparedEngineTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final DateTimeFormatter PREFECT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void theEngineCollectsGarbageWhenPreparedAndNotWhileItRuns() throws Exception {
        Path file = dir.resolve("runs.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE run (id INTEGER PRIMARY KEY, ended TEXT NOT NULL)");
            s.execute("CREATE INDEX ix_run_ended ON run (ended)");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO run (ended) VALUES (?)")) {
                // One a day, each half a day off a whole day's age (the sweep's clock moves on a little from NOW):
                // the 970 older than 30 days go.
                for (int day = 1; day <= 1000; day++) {
                    insert.setString(1, PREFECT_TIME.format(ended(day)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
        BenchPolicy policy = new BenchPolicy("runs", "run", "ended", Duration.ofDays(30), Optional.empty(), List.of());

        long beforePreparing = collections();
        try (Methods.Prepared prepared = Methods.engine(
                new SweepEngine(Optional.empty(), OptionalInt.empty(), true),
                DatabaseUrl.ofSqliteFile(file),
                policy,
                NOW)) {
            long afterPreparing = collections();
            Measured measured = prepared.run();
            long afterRunning = collections();

            assertTrue(afterPreparing > beforePreparing, "no collection while preparing the engine");
            assertEquals(afterPreparing, afterRunning, "collections while the engine ran");
            assertEquals(970, measured.rowsDeleted());
            assertEquals(Optional.empty(), measured.error());
            assertEquals(0, measured.heap().orElseThrow().collections());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), min(ended) FROM run")) {
            rs.next();
            assertEquals(30, rs.getLong(1));
            assertEquals(PREFECT_TIME.format(ended(30)), rs.getString(2));
        }
    }

    private static Instant ended(int day) {
        return NOW.minus(Duration.ofDays(day)).plus(Duration.ofHours(12));
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }
}
