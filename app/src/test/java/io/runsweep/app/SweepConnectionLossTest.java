package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.testing.Backends;
import io.runsweep.sql.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runsweep sweep} whose PostgreSQL backend is terminated twice in the middle of its deletes, as
 * pg_terminate_backend or a fast shutdown ends it: the sweep carries on on new connections, exits 0, leaves
 * no due row, and says so in one line per retry on stderr, without a stack trace.
 */
class SweepConnectionLossTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aSweepWhoseBackendIsTerminatedTwiceExitsZeroWithEveryDueRowGone() throws Exception {
        String url = TestPostgres.newDatabase();
        Cli seeded = Cli.run(
                Map.of(), CLOCK, "seed", "--preset", "prefect", "--url", url, "--flow-runs", "2000", "--days", "120");
        assertEquals(0, seeded.exitCode(), seeded.err());
        Path config = Files.writeString(
                dir.resolve("runsweep.conf"),
                String.join(
                        "\n",
                        "runsweep {",
                        "  preset = prefect",
                        "  database.url = \"" + url + "\"",
                        "  batch { target-duration = 10ms, pause = 20ms, min-size = 20, max-size = 100 }",
                        "  policies.logs { older-than = 30d, batch-size = 50, strategy = index }",
                        "}",
                        ""));
        long due = count(url, "SELECT count(*) FROM log WHERE timestamp < ?");
        long kept = count(url, "SELECT count(*) FROM log WHERE timestamp >= ?");

        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        CompletableFuture<List<Integer>> terminated =
                CompletableFuture.supplyAsync(() -> Backends.terminateWhileDeleting(url, 2));
        Cli sweep;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--policy", "logs");
        } finally {
            System.setErr(stderr);
        }
        List<Integer> pids = terminated.get(60, TimeUnit.SECONDS);

        String log = logged.toString(StandardCharsets.UTF_8);
        assertEquals(2, pids.stream().distinct().count(), "two sessions terminated: " + pids);
        assertEquals(0, sweep.exitCode(), sweep.err() + log);
        assertTrue(due > 1000, "a backlog worth interrupting: " + due);
        assertEquals(0, count(url, "SELECT count(*) FROM log WHERE timestamp < ?"), "every due line is gone");
        assertEquals(kept, count(url, "SELECT count(*) FROM log WHERE timestamp >= ?"), "the others are kept");
        List<String> lines = log.lines().toList();
        List<String> retries = lines.stream()
                // pgjdbc adds the statement's position when the session ends while the server parses it
                .filter(l -> l.matches(".* WARN  PurgeRunner - logs - batch failed: lost its connection \\(SQL State"
                        + " 57P01, error code 0: FATAL: terminating connection due to administrator command"
                        + "( Position: \\d+)?\\); retry .*"))
                .toList();
        // A termination that cuts off a commit leaves that batch in doubt: deleted or not, the run cannot know, and
        // it says so. The count is exact either way.
        Pattern cutOff = Pattern.compile(".* WARN  PurgeRunner - logs - a batch's commit was cut off: its ([\\d,]+)"
                + " rows from \"log\" may have been deleted without being counted");
        List<Long> inDoubt = lines.stream()
                .map(cutOff::matcher)
                .filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1).replace(",", "")))
                .toList();
        // Each batch in doubt took effect or did not, on its own: the rows counted are every due row but those of
        // the ones that did (two cut off, one committed and one not: due less the one's rows).
        Set<Long> counts = new TreeSet<>(List.of(due));
        for (long rows : inDoubt) {
            Set<Long> without = new TreeSet<>();
            counts.forEach(n -> without.add(n - rows));
            counts.addAll(without);
        }
        assertTrue(
                counts.stream()
                        .anyMatch(n ->
                                sweep.out().matches("(?s)logs +log +" + Pattern.quote(Formats.count(n)) + " rows .*")),
                counts + "\n" + sweep.out() + log);
        assertEquals(2, retries.size(), log);
        assertEquals(2 + inDoubt.size(), lines.size(), "one line per retry or batch in doubt, nothing else: " + log);
    }

    /** A count whose one parameter is the logs policy's cutoff, 30 days before the clock. */
    private static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, CLOCK.instant().minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
