package io.runsweep.jobs.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one maintenance run did, or in a dry run would do, with the figures that show it.
 *
 * @param cause what ran it: {@code maintenance} for the job, {@code after policy flow-runs} after a purge
 * @param tables PostgreSQL: one entry per table that was vacuumed or analyzed
 * @param file SQLite: the database file's maintenance
 * @param notes what an operator may want to act on, though nothing failed
 * @param problems what kept part of the run from happening at all (a policy that cannot be planned)
 */
public record MaintenanceReport(
        String cause,
        boolean dryRun,
        Instant startedAt,
        Duration duration,
        List<TableMaintenance> tables,
        Optional<FileMaintenance> file,
        List<String> notes,
        List<String> problems) {

    public MaintenanceReport {
        tables = List.copyOf(tables);
        notes = List.copyOf(notes);
        problems = List.copyOf(problems);
    }

    /** PostgreSQL: the tables whose statement did not run, though nothing failed (see {@link Step.Outcome#SKIPPED}). */
    public long skipped() {
        return tables.stream().filter(t -> t.step().skipped()).count();
    }

    public boolean anyFailed() {
        return !problems.isEmpty()
                || tables.stream().anyMatch(t -> t.step().failed())
                || file.stream().flatMap(f -> f.steps().stream()).anyMatch(Step::failed);
    }
}
