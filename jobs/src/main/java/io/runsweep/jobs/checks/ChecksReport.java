package io.runsweep.jobs.checks;

import io.runsweep.sql.FileStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one run of the checks measured, and what it could not.
 *
 * @param at the time the checks judged ages and cutoffs by
 * @param tables each managed table once, in the order policies name them
 * @param file the database file, on SQLite
 * @param problems checks that could not run, each naming its subject and why
 * @param partitions each enabled partition set's partitions past retention (PostgreSQL)
 * @param snapshot the oldest snapshot that keeps dead rows (PostgreSQL), when it could be read
 */
public record ChecksReport(
        Instant at,
        Duration duration,
        List<TableCheck> tables,
        List<PolicyCheck> policies,
        List<StuckCheck> stuck,
        Optional<FileStats> file,
        List<String> problems,
        List<PartitionCheck> partitions,
        Optional<SnapshotCheck> snapshot) {

    public ChecksReport {
        tables = List.copyOf(tables);
        policies = List.copyOf(policies);
        stuck = List.copyOf(stuck);
        problems = List.copyOf(problems);
        partitions = List.copyOf(partitions);
    }

    /** A report with no partition sets and no snapshot read. */
    public ChecksReport(
            Instant at,
            Duration duration,
            List<TableCheck> tables,
            List<PolicyCheck> policies,
            List<StuckCheck> stuck,
            Optional<FileStats> file,
            List<String> problems) {
        this(at, duration, tables, policies, stuck, file, problems, List.of(), Optional.empty());
    }

    /** The table the configuration calls {@code name}. */
    public Optional<TableCheck> table(String name) {
        return tables.stream().filter(t -> t.isNamed(name)).findFirst();
    }

    public Optional<PolicyCheck> policy(String name) {
        return policies.stream().filter(p -> p.policy().equals(name)).findFirst();
    }

    public Optional<StuckCheck> stuck(String name) {
        return stuck.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
