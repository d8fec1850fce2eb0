package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep --older-than} and the question a sweep asks on a terminal before a large delete, against a
 * seeded SQLite file: what the user reads, the exit code, and the rows left.
 */
class SweepConfirmationTest {
    static final String RUNS_BEFORE_30_DAYS =
            "SELECT count(*) FROM flow_run WHERE end_time < '2026-05-02 00:00:00.000000'"
                    + " AND state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')";

    @TempDir
    Path dir;

    Path db;
    Path config;

    @BeforeEach
    void seed() throws Exception {
        db = dir.resolve("prefect.db");
        Cli seeded = Cli.run(
                Map.of(),
                SweepCommandTest.CLOCK,
                "seed",
                "--preset",
                "prefect",
                "--url",
                "sqlite:///" + db,
                "--flow-runs",
                "200",
                "--days",
                "120");
        assertEquals(0, seeded.exitCode(), seeded.err());
        config = dir.resolve("runsweep.conf");
        Files.writeString(
                config,
                "runsweep {\n  preset = prefect\n  database.url = \"sqlite:///" + db + "\"\n  confirm-above = 10\n}\n");
    }

    @Test
    void olderThanReplacesThePoliciesAgesAndTheDryRunSaysSo() throws Exception {
        long before = scalar("SELECT count(*) FROM flow_run");

        Cli cli = Cli.run(
                Map.of(),
                SweepCommandTest.CLOCK,
                "sweep",
                "--config",
                config.toString(),
                "--policy",
                "flow-runs",
                "--older-than",
                "30d",
                "--dry-run");

        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(before, scalar("SELECT count(*) FROM flow_run"));
        long due = scalar(RUNS_BEFORE_30_DAYS);
        assertTrue(
                cli.out()
                        .contains(
                                "policy flow-runs (table flow_run)\n  cutoff: rows older than 2026-05-02T00:00:00Z\n"),
                cli.out());
        assertTrue(cli.out().contains("  older-than 30d from --older-than (the configuration says 90d)\n"), cli.out());
        assertTrue(
                cli.out().contains(String.format("    %-22s %,12d  (matched by the policy)%n", "flow_run", due)),
                cli.out());
    }

    @Test
    void olderThanDeletesByTheGivenAge() throws Exception {
        assertTrue(scalar(RUNS_BEFORE_30_DAYS) > scalar(RUNS_BEFORE_30_DAYS.replace("2026-05-02", "2026-03-03")));

        Cli cli = Cli.run(
                Map.of(),
                SweepCommandTest.CLOCK,
                "sweep",
                "--config",
                config.toString(),
                "--policy",
                "flow-runs",
                "--older-than",
                "30d");

        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(0, scalar(RUNS_BEFORE_30_DAYS));
        assertTrue(scalar("SELECT count(*) FROM flow_run WHERE end_time >= '2026-05-02'") > 0);
        assertTrue(
                cli.out()
                        .contains(
                                "flow-runs          note: older-than 30d from --older-than (the configuration says 90d)\n"),
                cli.out());
        assertFalse(cli.out().contains("strategy "), "the plan's strategy is for the dry run: " + cli.out());
    }

    @Test
    void anOlderThanWithoutAUnitIsAUsageError() throws Exception {
        Cli cli =
                Cli.run(Map.of(), SweepCommandTest.CLOCK, "sweep", "--config", config.toString(), "--older-than", "30");

        assertEquals(2, cli.exitCode());
        assertEquals("runsweep: --older-than: '30' needs a unit, e.g. 30d, 12h, 10s\n", cli.err());
    }

    @Test
    void onATerminalALargeSweepShowsItsTotalsAndAnythingButYesDeletesNothing() throws Exception {
        List<String> before = snapshot();
        Answers terminal = new Answers("n");

        Cli cli = sweep(terminal, "--policy", "flow-runs");

        assertEquals(1, cli.exitCode(), cli.out() + cli.err());
        assertEquals(List.of("Delete them? [y/N] "), terminal.asked);
        long runs = scalar("SELECT count(*) FROM flow_run WHERE end_time < '2026-03-03 00:00:00.000000'"
                + " AND state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')");
        assertTrue(cli.err().startsWith("This sweep would delete "), cli.err());
        assertTrue(
                cli.err()
                        .contains(" rows (more than runsweep.confirm-above, 10):\n  flow-runs: "
                                + String.format("%,d", runs) + " rows from \"flow_run\", "),
                cli.err());
        assertTrue(cli.err().endsWith("runsweep: not confirmed; nothing was deleted\n"), cli.err());
        assertEquals("", cli.out());
        assertEquals(before, snapshot());
    }

    @Test
    void yesAtTheQuestionDeletes() throws Exception {
        Cli cli = sweep(new Answers("y"), "--policy", "flow-runs");

        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(
                0,
                scalar("SELECT count(*) FROM flow_run WHERE end_time < '2026-03-03 00:00:00.000000'"
                        + " AND state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED')"));
    }

    @Test
    void dashDashYesAndNoTerminalAndSmallSweepsNeverAsk() throws Exception {
        Answers neverAsked = new Answers();

        Cli withYes = sweep(neverAsked, "--policy", "flow-runs", "--yes");
        Cli withoutTerminal =
                Cli.run(Map.of(), SweepCommandTest.CLOCK, "sweep", "--config", config.toString(), "--policy", "logs");
        Files.writeString(config, Files.readString(config).replace("confirm-above = 10", "confirm-above = 100000"));
        Cli small = sweep(neverAsked, "--policy", "events");

        assertEquals(0, withYes.exitCode(), withYes.err());
        assertEquals(0, withoutTerminal.exitCode(), withoutTerminal.err());
        assertEquals(0, small.exitCode(), small.err());
        assertEquals(List.of(), neverAsked.asked);
        assertFalse(withYes.err().contains("would delete"), withYes.err());
        assertEquals(0, scalar("SELECT count(*) FROM log WHERE timestamp < '2026-03-03 00:00:00.000000'"));
    }

    @Test
    void aDryRunNeverAsks() throws Exception {
        Answers neverAsked = new Answers();

        Cli cli = sweep(neverAsked, "--dry-run");

        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(List.of(), neverAsked.asked);
    }

    private Cli sweep(Terminal terminal, String... args) {
        List<String> all = new ArrayList<>(List.of("sweep", "--config", config.toString()));
        all.addAll(List.of(args));
        return Cli.run(new Environment(Map.of(), terminal), SweepCommandTest.CLOCK, all.toArray(String[]::new));
    }

    /** Someone at a terminal who gives these answers, in order, and whose questions are kept. */
    static final class Answers implements Terminal {
        final List<String> asked = new ArrayList<>();
        private final List<String> answers;

        Answers(String... answers) {
            this.answers = new ArrayList<>(List.of(answers));
        }

        @Override
        public boolean interactive() {
            return true;
        }

        @Override
        public Optional<String> ask(String question) {
            asked.add(question);
            return answers.isEmpty() ? Optional.empty() : Optional.of(answers.remove(0));
        }
    }

    private long scalar(String sql) throws Exception {
        return SqliteFile.scalar(db, sql);
    }

    private List<String> snapshot() throws Exception {
        return SqliteFile.snapshot(db, SweepCommandTest.TABLES);
    }
}
