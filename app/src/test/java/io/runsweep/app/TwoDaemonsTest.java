package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.daemon.Daemon;
import io.runsweep.config.Settings;
import io.runsweep.jobs.common.Connections;
import io.runsweep.jobs.schedule.JobResult;
import io.runsweep.jobs.schedule.ScheduledJob;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons beside two server replicas, one PostgreSQL: both fire the same job every second, each run
 * takes 1.5 s, and the advisory lock lets only one run it at a time; the other skips and counts it.
 */
class TwoDaemonsTest {
    @TempDir
    Path dir;

    @Test
    void runsOfOneJobNeverOverlapAcrossDaemonsAndTheLoserCountsASkip() throws Exception {
        DaemonFixture fixture = new DaemonFixture(DatabaseKind.POSTGRESQL, dir);
        fixture.createAndSeed();
        try (Database db = fixture.open();
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE job_runs (id serial PRIMARY KEY, daemon text NOT NULL,"
                    + " started timestamptz NOT NULL DEFAULT clock_timestamp(), ended timestamptz)");
        }
        Settings settings = fixture.settings("");
        Daemon a = start(settings, fixture, "a");
        Daemon b = start(settings, fixture, "b");
        try {
            Await.until(
                    Duration.ofSeconds(60),
                    "5 finished runs of the shared job",
                    () -> scalar(fixture, "SELECT count(*) FROM job_runs WHERE ended IS NOT NULL"),
                    n -> n >= 5);
        } finally {
            a.stop();
            b.stop();
        }

        assertEquals(
                0,
                scalar(
                        fixture,
                        "SELECT count(*) FROM job_runs x JOIN job_runs y ON x.id < y.id"
                                + " WHERE x.started < y.ended AND y.started < x.ended"),
                "two runs of one job overlapped");
        assertEquals(
                0,
                scalar(fixture, "SELECT count(*) FROM job_runs WHERE ended IS NULL"),
                "every run finished: stopping let the run under way end");
        Map<String, Double> skipped = Map.of("a", skipped(a), "b", skipped(b));
        Map<String, Long> ran = Map.of("a", ranBy(fixture, "a"), "b", ranBy(fixture, "b"));
        assertTrue(skipped.get("a") + skipped.get("b") > 0, "no daemon skipped a locked run: " + skipped);
        assertEquals(ran.get("a"), (long) succeeded(a), "a's counter matches the runs it recorded");
        assertEquals(ran.get("b"), (long) succeeded(b), "b's counter matches the runs it recorded");
    }

    private static Daemon start(Settings settings, DaemonFixture fixture, String name) throws Exception {
        return Daemon.start(
                settings.daemon(),
                DatabaseUrl.parse(fixture.jdbcUrl),
                Connections.options(settings.database(), false),
                Clock.systemUTC(),
                (database, registry, history, stop) -> List.of(new RecordedJob(database, name)),
                List.of());
    }

    /** Records its start and end in the database, 1.5 s apart: longer than the schedule's second. */
    private record RecordedJob(Database database, String daemon) implements ScheduledJob {
        @Override
        public String name() {
            return "shared";
        }

        @Override
        public String schedule() {
            return "* * * * * ?";
        }

        @Override
        public JobResult run(BooleanSupplier stopRequested) throws Exception {
            try (Connection c = database.connection()) {
                long id;
                try (PreparedStatement s =
                        c.prepareStatement("INSERT INTO job_runs (daemon) VALUES (?) RETURNING id")) {
                    s.setString(1, daemon);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                Thread.sleep(1500);
                try (PreparedStatement s =
                        c.prepareStatement("UPDATE job_runs SET ended = clock_timestamp() WHERE id = ?")) {
                    s.setLong(1, id);
                    s.executeUpdate();
                }
            }
            return JobResult.succeeded(Map.of(), "recorded");
        }
    }

    private static double skipped(Daemon daemon) throws Exception {
        return counter(daemon, "skipped_locked");
    }

    private static double succeeded(Daemon daemon) throws Exception {
        return counter(daemon, "succeeded");
    }

    /** Read back from the daemon's registry after it stopped (its HTTP server is closed by then). */
    private static double counter(Daemon daemon, String outcome) {
        return daemon.registry()
                .get("runsweep.job.runs")
                .tags("runsweep_job", "shared", "outcome", outcome)
                .counter()
                .count();
    }

    private static long ranBy(DaemonFixture fixture, String daemon) throws Exception {
        return scalar(fixture, "SELECT count(*) FROM job_runs WHERE daemon = '" + daemon + "'");
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
