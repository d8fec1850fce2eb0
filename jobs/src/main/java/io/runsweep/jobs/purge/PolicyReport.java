package io.runsweep.jobs.purge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one policy did, or in a dry run would do.
 *
 * @param cutoff empty when the policy failed before it was planned
 * @param tables rows per table, the policy's own table first
 * @param statements what a dry run would execute, each with the index the database would use; empty for a real run
 * @param notes how batches find their rows and why, and anything else a person should know about the run
 * @param stop present when the run ended before every matching row was gone
 * @param throttled time the run spent paused for replicas or for sessions waiting on its locks
 * @param archive where the deleted rows were copied and how many; a dry run says where they would be
 */
public record PolicyReport(
        String policy,
        String table,
        Optional<Instant> cutoff,
        Outcome outcome,
        List<TableRows> tables,
        int batches,
        Duration duration,
        Optional<String> error,
        List<PlannedStatement> statements,
        List<String> notes,
        Optional<Stop> stop,
        Duration throttled,
        Optional<ArchiveSummary> archive) {

    private static final String STRATEGY = "strategy ";
    /** How each strategy's note begins: {@link #runNotes} leaves those out. */
    private static final List<String> STRATEGY_NOTES = java.util.Arrays.stream(PurgePlan.Strategy.values())
            .map(s -> STRATEGY + s.configName() + ": ")
            .toList();

    public PolicyReport {
        tables = List.copyOf(tables);
        statements = List.copyOf(statements);
        notes = List.copyOf(notes);
    }

    /** A run that was never throttled and archived nothing. */
    public PolicyReport(
            String policy,
            String table,
            Optional<Instant> cutoff,
            Outcome outcome,
            List<TableRows> tables,
            int batches,
            Duration duration,
            Optional<String> error,
            List<PlannedStatement> statements,
            List<String> notes,
            Optional<Stop> stop) {
        this(
                policy,
                table,
                cutoff,
                outcome,
                tables,
                batches,
                duration,
                error,
                statements,
                notes,
                stop,
                Duration.ZERO,
                Optional.empty());
    }

    /**
     * The note a run and a dry run begin with: the strategy their batches use, and why. A dry run shows it; a real
     * run's summary leaves it out of {@link #runNotes}.
     */
    public static String strategyNote(PurgePlan plan) {
        return STRATEGY + plan.strategy().configName() + ": " + plan.strategyReason();
    }

    /**
     * What a person should know about how the run went (passes after the batches, retries, rows in doubt, the
     * archive's upkeep): every note but the strategies its plans chose, with the prefix {@link #merged} gives a
     * part's notes.
     */
    public List<String> runNotes() {
        return notes.stream()
                .filter(n ->
                        STRATEGY_NOTES.stream().noneMatch(prefix -> n.startsWith(prefix) || n.contains(": " + prefix)))
                .toList();
    }

    /** The same report with one more note, after the others. */
    public PolicyReport withNote(String note) {
        List<String> all = new java.util.ArrayList<>(notes);
        all.add(note);
        return new PolicyReport(
                policy,
                table,
                cutoff,
                outcome,
                tables,
                batches,
                duration,
                error,
                statements,
                all,
                stop,
                throttled,
                archive);
    }

    /** The same report, with the time throttled and what was archived. */
    public PolicyReport with(Duration throttledFor, Optional<ArchiveSummary> archived) {
        return new PolicyReport(
                policy,
                table,
                cutoff,
                outcome,
                tables,
                batches,
                duration,
                error,
                statements,
                notes,
                stop,
                throttledFor,
                archived);
    }

    /**
     * One report for the runs that make up one run of a policy (its retention overrides, then itself): rows
     * added up per table, the first error and the first stop, notes prefixed with the part they are about.
     */
    public static PolicyReport merged(String policy, List<PolicyReport> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        PolicyReport main = parts.get(parts.size() - 1);
        java.util.Map<String, TableRows> tables = new java.util.LinkedHashMap<>();
        List<String> notes = new java.util.ArrayList<>();
        int batches = 0;
        Duration duration = Duration.ZERO;
        Duration throttled = Duration.ZERO;
        Optional<ArchiveSummary> archive = Optional.empty();
        for (PolicyReport part : parts) {
            part.tables.forEach(t -> tables.merge(
                    t.table(), t, (a, b) -> new TableRows(a.table(), a.rows() + b.rows(), a.how(), a.via())));
            part.notes.forEach(n -> notes.add(part.policy + ": " + n));
            batches += part.batches;
            duration = duration.plus(part.duration);
            throttled = throttled.plus(part.throttled);
            if (part.archive.isPresent()) {
                ArchiveSummary more = part.archive.get();
                archive = Optional.of(archive.map(a -> a.plus(more)).orElse(more));
            }
        }
        Optional<PolicyReport> failed =
                parts.stream().filter(p -> p.outcome == Outcome.FAILED).findFirst();
        return new PolicyReport(
                policy,
                main.table,
                main.cutoff,
                failed.isPresent() ? Outcome.FAILED : main.outcome,
                List.copyOf(tables.values()),
                batches,
                duration,
                failed.map(f -> f.policy + ": " + f.error.orElse("failed")),
                parts.stream().flatMap(p -> p.statements.stream()).toList(),
                notes,
                parts.stream().flatMap(p -> p.stop.stream()).findFirst(),
                throttled,
                archive);
    }

    public enum Outcome {
        SUCCEEDED,
        FAILED,
        PREVIEWED
    }

    /**
     * @param how how the policy reaches the table
     * @param via the column or foreign key that links it, empty for the policy's own table
     * @param estimated the rows are the database's estimate (a dry run asked for speed), not a count
     */
    public record TableRows(String table, long rows, Reach how, String via, boolean estimated) {
        /** Rows counted, or deleted. */
        public TableRows(String table, long rows, Reach how, String via) {
            this(table, rows, how, via, false);
        }
    }

    /** How a policy reaches a table it deletes from. */
    public enum Reach {
        /** The policy's own table: the rows its predicate matches. */
        MATCHED,
        /** A table without a foreign key, deleted by key in the same batch as the rows it refers to. */
        DEPENDENT,
        /** A table the database empties itself through an ON DELETE CASCADE foreign key. */
        CASCADE;

        /** As reports and JSON write it: {@code matched}, {@code dependent}, {@code cascade}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record PlannedStatement(String purpose, String sql, String index) {}

    /**
     * @param reason {@code max-rows}, {@code max-runtime} or what raised the stop signal
     * @param remaining matching rows left, as the database estimates them (SQLite: counts them)
     */
    public record Stop(String reason, long remaining) {}

    public long rows(String tableName) {
        return tables.stream()
                .filter(t -> t.table().equals(tableName))
                .mapToLong(TableRows::rows)
                .sum();
    }

    public long totalRows() {
        return tables.stream().mapToLong(TableRows::rows).sum();
    }

    public static PolicyReport failed(
            String policy,
            String table,
            Optional<Instant> cutoff,
            List<TableRows> tables,
            int batches,
            Duration duration,
            String error,
            List<String> notes) {
        return new PolicyReport(
                policy,
                table,
                cutoff,
                Outcome.FAILED,
                tables,
                batches,
                duration,
                Optional.of(error),
                List.of(),
                notes,
                Optional.empty());
    }
}
