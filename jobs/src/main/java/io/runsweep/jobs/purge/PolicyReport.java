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
        Optional<Stop> stop) {

    public PolicyReport {
        tables = List.copyOf(tables);
        statements = List.copyOf(statements);
        notes = List.copyOf(notes);
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
