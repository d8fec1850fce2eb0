package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.BatchSettings;
import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A purge of many short batches on SQLite while the scheduler's server writes the same file, as it would through
 * its own connection with a busy timeout: every write gets in between batches, and none fails.
 */
class SqliteWriterTest {
    @TempDir
    Path dir;

    @Test
    void theServersWritesAllGetInBetweenBatchesAndThePurgeLeavesTheConnectionAsItFoundIt() throws Exception {
        Path file = dir.resolve("prefect.db");
        try (Database db = Databases.open(
                DatabaseUrl.ofSqliteFile(file),
                TestDatabases.options().withPoolSize(1).withCreateIfMissing(true))) {
            try (Connection c = db.connection()) {
                EngineFixture.create(c, DatabaseKind.SQLITE);
                EngineFixture.fill(c, DatabaseKind.SQLITE, 6000, 7);
            }
            long expiring = scalar(db, "SELECT count(*) FROM run WHERE finished < '2026-04-22 00:00:00.000000'");
            long runsLeft = scalar(db, "SELECT count(*) FROM run") - expiring;
            // Batches of a few rows, each committed and followed by the pause: hundreds of them.
            PolicySettings policy = EngineFixture.policy(
                    Duration.ofDays(40), List.of(), false, Strategy.INDEX, 10, new RunLimits(0, Duration.ZERO, 1.0));
            RunOptions options = new RunOptions(
                    Duration.ofMillis(300),
                    new BatchSettings(Duration.ofMillis(2), Duration.ZERO, 10, 20, 5, Duration.ofMillis(50)),
                    true);

            PolicyReport report;
            Writer writer = new Writer(file);
            try {
                writer.start();
                report = EngineFixture.run(db, policy, options, new StopSignal(), PurgeProgress.NONE);
            } finally {
                writer.stop();
            }

            assertEquals(PolicyReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
            assertTrue(report.batches() > 100, report.batches() + " batches");
            assertEquals(expiring, report.rows("run"), report.toString());
            assertEquals(runsLeft, scalar(db, "SELECT count(*) FROM run"));
            assertEquals(0, writer.failures.get(), "writes that failed with database is locked");
            assertTrue(writer.written.get() > 0, "the writer wrote during the purge");
            assertEquals(writer.written.get(), scalar(db, "SELECT count(*) FROM run_log WHERE id >= 100000000"));
            assertEquals(
                    1000, scalar(db, "PRAGMA wal_autocheckpoint"), "the pool's connection is given back as it was");
        }
    }

    private static long scalar(Database db, String sql) throws Exception {
        try (Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The server: a log line every 2 ms on its own connection, waiting up to 5 s for the write lock; of a run that
     * does not exist, so that no purge batch takes it with its dependents.
     */
    private static final class Writer {
        final AtomicLong written = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        private final Path file;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Exception broken;

        Writer(Path file) {
            this.file = file;
            this.thread = new Thread(this::loop, "server-writer");
        }

        void start() {
            thread.start();
        }

        void stop() throws Exception {
            running = false;
            thread.join();
            if (broken != null) {
                throw broken;
            }
        }

        private void loop() {
            Properties settings = new Properties();
            settings.setProperty("busy_timeout", "5000");
            settings.setProperty("journal_mode", "WAL");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, settings);
                    PreparedStatement insert = c.prepareStatement("INSERT INTO run_log VALUES (?, 0, 'server')")) {
                for (long id = 100_000_000; running; id++) {
                    insert.setLong(1, id);
                    try {
                        insert.executeUpdate();
                        written.incrementAndGet();
                    } catch (SQLException e) {
                        failures.incrementAndGet();
                    }
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                broken = e;
            }
        }
    }
}
