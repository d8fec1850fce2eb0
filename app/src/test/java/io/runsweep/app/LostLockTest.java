package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.daemon.Daemon;
import io.runsweep.app.daemon.DaemonJobs;
import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.schedule.JobObserver;
import io.runsweep.jobs.schedule.JobOutcome;
import io.runsweep.jobs.schedule.JobRun;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons on one PostgreSQL, one job. The session holding the first daemon's lock is terminated in the
 * middle of its run; the second daemon takes the lock at its next fire time and runs the job. The first stops
 * before its next batch, and none of its deletes happens after the second daemon's first.
 */
class LostLockTest {
    static final int BACKLOG = 200;

    @TempDir
    Path dir;

    @Test
    void aDaemonThatLosesItsLockStopsAndNeverDeletesAfterTheOneThatTookIt() throws Exception {
        DaemonFixture fixture = new DaemonFixture(DatabaseKind.POSTGRESQL, dir);
        fixture.createAndSeed();
        prepare(fixture);
        // Batches of 20, 1.5 s apart: the other daemon, firing every second, comes before the next batch.
        Settings settings = fixture.settings(
                "    logs { schedule = \"* * * * * ?\", strategy = index }\n    flow-runs.enabled = false",
                "  batch { min-size = 20, max-size = 20, pause = 1500ms }\n  policies.logs.batch-size = 20");
        List<JobRun> runsOfA = new CopyOnWriteArrayList<>();
        List<JobRun> runsOfB = new CopyOnWriteArrayList<>();
        Daemon a = start(settings, fixture, "daemon-a", runsOfA::add);
        Daemon b = null;
        try {
            Await.until(Duration.ofSeconds(60), "daemon a to delete", () -> deletions(fixture, "daemon-a"), n -> n > 0);
            b = start(settings, fixture, "daemon-b", runsOfB::add);
            Await.until(
                    Duration.ofSeconds(60),
                    "daemon b to skip while a runs",
                    () -> runsOfB.stream()
                            .filter(r -> r.outcome() == JobOutcome.SKIPPED_LOCKED)
                            .count(),
                    n -> n > 0);
            // Right after a batch of a's: the other daemon's next fire comes within its 1.5 s pause.
            long before = deletions(fixture, "daemon-a");
            Await.until(
                    Duration.ofSeconds(30), "a's next batch", () -> deletions(fixture, "daemon-a"), n -> n > before);
            terminateLockSession(fixture, "daemon-a");

            Await.until(
                    Duration.ofSeconds(90),
                    "a's run to stop and b's to finish the backlog",
                    () -> runsOfA.stream().anyMatch(r -> r.outcome() == JobOutcome.STOPPED)
                            && runsOfB.stream().anyMatch(r -> r.outcome() == JobOutcome.SUCCEEDED)
                            && dueLeft(fixture) == 0,
                    done -> done);
        } finally {
            a.stop();
            if (b != null) {
                b.stop();
            }
        }

        Instant lastOfA = at(fixture, "SELECT max(at) FROM deletions WHERE daemon = 'daemon-a'");
        Instant firstOfB = at(fixture, "SELECT min(at) FROM deletions WHERE daemon = 'daemon-b'");
        assertTrue(lastOfA.isBefore(firstOfB), "a deleted at " + lastOfA + ", after b began at " + firstOfB);
        JobRun stopped = runsOfA.stream()
                .filter(r -> r.outcome() == JobOutcome.STOPPED)
                .findFirst()
                .orElseThrow();
        assertTrue(
                stopped.result()
                        .summary()
                        .matches("deleted \\d+ rows from \"log\" in \\d+ batches; stopped at the loss of the job's"
                                + " lock to another daemon \\(the lock of job 'logs' is no longer held: its session"
                                + " \\(pid \\d+\\) ended, or another daemon took the lock\\), about \\d+ matching rows"
                                + " remain for the next run"),
                stopped.result().summary());
        assertEquals(
                BACKLOG,
                deletions(fixture, "daemon-a") + deletions(fixture, "daemon-b"),
                "every due line deleted once, by one daemon or the other");
        assertEquals(16, fixture.count("log"), "the 8 recent lines and the 8 of runs are left");
    }

    /** 200 more lines past retention, and a trigger that records which daemon deletes each, and when. */
    private static void prepare(DaemonFixture fixture) throws Exception {
        try (Database db = fixture.open();
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM log WHERE timestamp < now() - interval '30 days'");
            DaemonFixture.insertOldLogs(new TestRows(c), 10_000, BACKLOG);
            s.execute("CREATE TABLE deletions (daemon text NOT NULL, at timestamptz NOT NULL)");
            s.execute("CREATE FUNCTION record_deletion() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO deletions VALUES (current_setting('application_name'), clock_timestamp());"
                    + " RETURN OLD; END $$");
            s.execute("CREATE TRIGGER record_deletion AFTER DELETE ON log FOR EACH ROW EXECUTE FUNCTION"
                    + " record_deletion()");
        }
    }

    /** A daemon whose sessions name it, so that the database can tell its deletes and its lock apart. */
    private static Daemon start(Settings settings, DaemonFixture fixture, String name, JobObserver observer)
            throws Exception {
        return Daemon.start(
                settings.daemon(),
                DatabaseUrl.parse(
                        fixture.jdbcUrl + (fixture.jdbcUrl.contains("?") ? "&" : "?") + "ApplicationName=" + name),
                Connections.options(settings.database(), false),
                Clock.systemUTC(),
                DaemonJobs.policies(settings, Clock.systemUTC()),
                List.of(observer));
    }

    private static void terminateLockSession(DaemonFixture fixture, String daemon) throws Exception {
        try (Database db = fixture.open();
                Connection c = db.connection();
                PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN"
                        + " pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND"
                        + " l.mode = 'ExclusiveLock' AND a.application_name = ?")) {
            s.setString(1, daemon);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next() && rs.getBoolean(1), "no lock session of " + daemon);
            }
        }
    }

    private static long deletions(DaemonFixture fixture, String daemon) throws Exception {
        try (Database db = fixture.open();
                Connection c = db.connection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM deletions WHERE daemon = ?")) {
            s.setString(1, daemon);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long dueLeft(DaemonFixture fixture) throws Exception {
        try (Database db = fixture.open();
                Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM log WHERE timestamp < now() - interval '30 days'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant at(DaemonFixture fixture, String sql) throws Exception {
        try (Database db = fixture.open();
                Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }
}
