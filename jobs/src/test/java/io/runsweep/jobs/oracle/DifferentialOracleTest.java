package io.runsweep.jobs.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.BatchSettings;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgePlanner;
import io.runsweep.jobs.purge.PurgePreview;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.PurgeRunner;
import io.runsweep.jobs.purge.RunOptions;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A randomized differential oracle: on generated schemas (foreign keys with CASCADE, SET NULL and NO ACTION,
 * dependents, a self-reference, NULLs, times in mixed forms) and generated policies, the engine, dry run and real
 * run, is compared with the plain SQL of what the policy means ({@link Meaning}), run on an identical copy of the
 * tables. While the engine runs, the application changes rows between its batches (new row versions, runs that
 * become old); the copy gets the same changes before its DELETE. Every table must end identical, and the dry run's
 * counts must be the copy's.
 *
 * <p>{@value #CASES_PROPERTY} (default 1000) cases per database, {@value #PER_FAMILY} to a family (one schema,
 * one database). A longer run: {@code mvn -o verify -pl jobs -am -Dtest=DifferentialOracleTest
 * -Drunsweep.oracle.cases=20000 -Drunsweep.oracle.seed=7}. A failing case prints the property that runs it alone,
 * {@code -Drunsweep.oracle.repeat=KIND:FAMILY:CASE}.
 */
class DifferentialOracleTest {
    static final String CASES_PROPERTY = "runsweep.oracle.cases";
    static final int PER_FAMILY = 50;

    @TempDir
    Path dir;

    private final Map<String, Integer> tally = new TreeMap<>();

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theEngineDeletesExactlyWhatThePoliciesMean(DatabaseKind kind) throws Exception {
        Optional<String> repeat = Optional.ofNullable(System.getProperty("runsweep.oracle.repeat"));
        List<String> failures = new ArrayList<>();
        int cases = 0;
        if (repeat.isPresent()) {
            String[] parts = repeat.get().split(":");
            if (DatabaseKind.valueOf(parts[0]) == kind) {
                Family family = Family.of(kind, Long.parseLong(parts[1]));
                cases = runFamily(family, List.of(Long.parseLong(parts[2])), failures);
            }
        } else {
            int wanted = Integer.getInteger(CASES_PROPERTY, 1000);
            SplittableRandom seeds =
                    new SplittableRandom(Long.getLong("runsweep.oracle.seed", 20261129L) + kind.ordinal());
            while (cases < wanted) {
                Family family = Family.of(kind, seeds.nextLong());
                SplittableRandom caseSeeds = new SplittableRandom(family.seed());
                List<Long> caseList = new ArrayList<>();
                for (int i = 0; i < Math.min(PER_FAMILY, wanted - cases); i++) {
                    caseList.add(caseSeeds.nextLong());
                }
                cases += runFamily(family, caseList, failures);
            }
        }
        System.out.println("differential oracle, " + kind + ": " + cases + " cases, " + failures.size()
                + " differences; outcomes " + tally);
        assertEquals(
                List.of(), failures.stream().limit(20).toList(), failures.size() + " of " + cases + " cases differ");
        assertTrue(cases > 0 || repeat.isPresent());
    }

    /** One database for the family's cases; each case starts from empty tables. */
    private int runFamily(Family family, List<Long> caseSeeds, List<String> failures) throws Exception {
        Path familyDir = Files.createDirectories(dir.resolve("family-" + Long.toUnsignedString(family.seed())));
        try (Database database = TestDatabases.open(family.kind(), familyDir);
                Database readOnly = TestDatabases.reopenReadOnly(database)) {
            try (Connection c = database.connection();
                    Statement s = c.createStatement()) {
                for (String prefix : List.of(Family.ENGINE, Family.REFERENCE)) {
                    for (String ddl : family.ddl(prefix)) {
                        s.execute(ddl);
                    }
                }
            }
            for (long seed : caseSeeds) {
                Case c = new Case(family, seed);
                try {
                    difference(database, readOnly, c).ifPresent(d -> failures.add(describe(c, d)));
                } catch (Exception | AssertionError e) {
                    failures.add(describe(c, "threw " + e));
                }
            }
        }
        return caseSeeds.size();
    }

    private static String describe(Case c, String difference) {
        return c.family + "; " + c + ": " + difference + "\n  run it alone: -Drunsweep.oracle.repeat=" + c.family.kind()
                + ":" + c.family.seed() + ":" + c.seed;
    }

    /** Runs one case; empty when the engine did exactly what the policy means. */
    private Optional<String> difference(Database database, Database readOnly, Case c) throws Exception {
        load(database, c);
        Meaning reference = new Meaning(c, Family.REFERENCE);
        List<Object> matched;
        try (Connection connection = database.connection()) {
            matched = reference.matched(connection);
        }
        Outcome preview = preview(readOnly, c);
        List<Case.Update> applied = new ArrayList<>();
        Outcome real = run(database, c, applied);

        boolean refusedForBlk = c.family.blk() && c.policy.unreferencedBy().isEmpty();
        if (c.unreadable) {
            count("refused: a time no form covers");
            return expectRefusal(preview, real, "holds times Runsweep cannot compare with a cutoff")
                    .or(() -> sameTables(database, c));
        }
        if (refusedForBlk) {
            count("refused: a NO ACTION key");
            if (!preview.report()
                    .map(r -> r.notes().stream().anyMatch(n -> n.startsWith("a real run would REFUSE")))
                    .orElse(false)) {
                return Optional.of("the dry run does not say a real run would refuse: " + preview);
            }
            return (real.failedWith("refused: ")
                            ? Optional.<String>empty()
                            : Optional.of("expected the run to refuse, got " + real))
                    .or(() -> sameTables(database, c));
        }
        Optional<String> counted = counts(database, c, reference, matched, preview);
        if (counted.isPresent()) {
            return counted;
        }
        if (real.report().isEmpty()
                || real.report().get().outcome() != PolicyReport.Outcome.SUCCEEDED
                || real.report().get().stop().isPresent()) {
            return Optional.of("the run did not succeed: " + real);
        }
        count("ran " + real.report().get().notes().get(0).split(":")[0] + (applied.isEmpty() ? "" : ", with updates")
                + (real.provedNoneEscaped() ? ", none escaped by count" : ""));
        try (Connection connection = database.connection()) {
            long before = c.rows.get("p").size();
            for (Case.Update update : applied) {
                c.apply(connection, Family.REFERENCE, update);
            }
            reference.delete(connection, real.provedNoneEscaped() ? Optional.of(matched) : Optional.empty());
            long deleted = before - rows(connection, Family.ENGINE + "p");
            if (real.report().get().rows(Family.ENGINE + "p") != deleted) {
                return Optional.of("the run says it deleted "
                        + real.report().get().rows(Family.ENGINE + "p") + " rows from p, the table lost " + deleted);
            }
        }
        return sameTables(database, c);
    }

    /** The dry run's counts are the rows the plain SQL finds: matched, dependent, and cascaded to. */
    private Optional<String> counts(Database database, Case c, Meaning reference, List<Object> matched, Outcome preview)
            throws SQLException {
        if (preview.report().isEmpty() || preview.report().get().outcome() != PolicyReport.Outcome.PREVIEWED) {
            return Optional.of("the dry run failed: " + preview);
        }
        PolicyReport report = preview.report().get();
        Map<String, Long> expected = new TreeMap<>();
        expected.put("p", (long) matched.size());
        try (Connection connection = database.connection()) {
            for (String table : List.of("dep", "kid", "gkid")) {
                boolean reached = table.equals("dep") ? !c.policy.dependents().isEmpty() : c.family.has(table);
                if (reached) {
                    expected.put(table, reference.reaching(connection, table, matched));
                }
            }
        }
        Map<String, Long> counted = new TreeMap<>();
        expected.keySet().forEach(t -> counted.put(t, report.rows(Family.ENGINE + t)));
        return expected.equals(counted)
                ? Optional.empty()
                : Optional.of("the dry run counts " + counted + ", the plain SQL " + expected);
    }

    private static Optional<String> expectRefusal(Outcome preview, Outcome real, String message) {
        for (Outcome outcome : List.of(preview, real)) {
            if (!outcome.failedWith(message)) {
                return Optional.of("expected a refusal containing '" + message + "', got " + outcome);
            }
        }
        return Optional.empty();
    }

    private static Outcome preview(Database readOnly, Case c) throws SQLException {
        PurgePlan plan;
        try (Connection connection = readOnly.connection()) {
            plan = new PurgePlanner(readOnly.dialect()).plan(connection, c.policy, c.now);
        } catch (PlanException e) {
            return Outcome.refused(e.getMessage());
        }
        return Outcome.of(new PurgePreview(readOnly, false).preview(plan));
    }

    /** The real run; after each committed batch the application makes the case's next change. */
    private static Outcome run(Database database, Case c, List<Case.Update> applied) throws SQLException {
        PurgePlan plan;
        try (Connection connection = database.connection()) {
            plan = new PurgePlanner(database.dialect()).plan(connection, c.policy, c.now);
        } catch (PlanException e) {
            return Outcome.refused(e.getMessage());
        }
        List<String> countsAfter = new ArrayList<>();
        PurgeProgress application = new PurgeProgress() {
            @Override
            public void batchCommitted(BatchEvent event) {
                if (applied.size() < c.updates.size()) {
                    Case.Update update = c.updates.get(applied.size());
                    try (Connection connection = database.connection()) {
                        c.apply(connection, Family.ENGINE, update);
                    } catch (SQLException e) {
                        throw new IllegalStateException("the application's update failed", e);
                    }
                    applied.add(update);
                }
            }

            @Override
            public void countingWhatIsLeft(String policy, String table) {
                countsAfter.add(table);
            }
        };
        RunOptions options = new RunOptions(
                Duration.ofSeconds(5),
                // A target far above any batch's time makes every batch's size follow from the rows alone, so
                // that a case runs the same batches every time.
                new BatchSettings(Duration.ofHours(1), Duration.ZERO, 1, c.maxBatch, 3, Duration.ofMillis(10)),
                // The guard's judgement (a run emptying a table is refused) has tests of its own; the oracle
                // compares what the engine deletes once let through with what the policy means.
                true);
        PolicyReport report = new PurgeRunner(database, options, new StopSignal()).run(plan, application);
        return new Outcome(Optional.of(report), Optional.empty(), plan.countsAtStart() && countsAfter.isEmpty());
    }

    /**
     * Empties both copies, then writes the case's rows into the engine's and copies them over. PostgreSQL's
     * TRUNCATE gives each case fresh heaps, so that a case run alone lays its rows out as it did in its family.
     */
    private static void load(Database database, Case c) throws SQLException {
        try (Connection connection = database.connection();
                Statement s = connection.createStatement()) {
            StringJoiner truncate = new StringJoiner(", ", "TRUNCATE ", "");
            for (String prefix : List.of(Family.ENGINE, Family.REFERENCE)) {
                for (String table : c.family.tables()) {
                    if (c.family.kind() == DatabaseKind.POSTGRESQL) {
                        truncate.add(prefix + table);
                    } else {
                        s.execute("DELETE FROM " + prefix + table);
                    }
                }
            }
            if (c.family.kind() == DatabaseKind.POSTGRESQL) {
                s.execute(truncate.toString());
            }
            c.insert(connection, Family.ENGINE);
            List<String> parentsFirst = new ArrayList<>(c.family.tables());
            java.util.Collections.reverse(parentsFirst);
            for (String table : parentsFirst) {
                s.execute("INSERT INTO " + Family.REFERENCE + table + " SELECT * FROM " + Family.ENGINE + table);
            }
        }
    }

    /** Every table of the engine's copy holds exactly the rows of the reference's. */
    private static Optional<String> sameTables(Database database, Case c) {
        try (Connection connection = database.connection()) {
            for (String table : c.family.tables()) {
                List<String> engine = snapshot(connection, Family.ENGINE + table);
                List<String> reference = snapshot(connection, Family.REFERENCE + table);
                if (!engine.equals(reference)) {
                    List<String> extra = new ArrayList<>(engine);
                    extra.removeAll(reference);
                    List<String> missing = new ArrayList<>(reference);
                    missing.removeAll(engine);
                    return Optional.of(table + " differs: the engine left " + engine.size() + " rows, the plain SQL "
                            + reference.size() + "; only the engine's: " + abbreviate(extra)
                            + "; only the plain SQL's: "
                            + abbreviate(missing));
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("could not compare the tables: " + e);
        }
    }

    private static List<String> abbreviate(List<String> rows) {
        return rows.stream()
                .limit(5)
                .map(r -> r.length() > 160 ? r.substring(0, 160) + "..." : r)
                .toList();
    }

    private static List<String> snapshot(Connection connection, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringJoiner row = new StringJoiner("|");
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getMetaData().getColumnName(i) + "=" + rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static long rows(Connection connection, String table) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void count(String outcome) {
        tally.merge(outcome, 1, Integer::sum);
    }

    /** What the engine did with one case: a report, or a refusal before it could plan. */
    /**
     * @param provedNoneEscaped a block-range sweep whose batches took every row counted before them, so that it made
     *     no count after them: rows that began to match while it ran wait for the next run
     */
    private record Outcome(Optional<PolicyReport> report, Optional<String> refusal, boolean provedNoneEscaped) {
        static Outcome of(PolicyReport report) {
            return new Outcome(Optional.of(report), Optional.empty(), false);
        }

        static Outcome refused(String message) {
            return new Outcome(Optional.empty(), Optional.of(message), false);
        }

        boolean failedWith(String message) {
            return refusal.map(r -> r.contains(message)).orElse(false)
                    || report.map(r -> r.outcome() == PolicyReport.Outcome.FAILED
                                    && r.error().orElse("").contains(message))
                            .orElse(false);
        }

        @Override
        public String toString() {
            return refusal.map(r -> "refused: " + r)
                    .orElseGet(() -> report.map(r -> r.outcome() + " " + r.tables() + " "
                                    + r.error().orElse("") + " " + r.notes() + " " + r.stop())
                            .orElse("nothing"));
        }
    }
}
