package io.runsweep.jobs.partition;

import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.Ddl;
import java.util.Optional;

/**
 * One DDL statement of a partition run, planned before anything runs.
 *
 * @param partition the partition it acts on (the archive schema's name for {@link Action#CREATE_SCHEMA})
 * @param finalizeIfInterrupted for a {@code DETACH ... CONCURRENTLY}: what completes it when an attempt was
 *     interrupted (by its lock timeout) after its first transaction had committed
 */
public record PartitionStep(Action action, String partition, Ddl ddl, Optional<Ddl> finalizeIfInterrupted) {

    public enum Action {
        CREATE("create"),
        CREATE_SCHEMA("create schema"),
        DETACH("detach"),
        DROP("drop"),
        ARCHIVE("archive");

        private final String word;

        Action(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    static PartitionStep of(Action action, TableName partition, Ddl ddl) {
        return new PartitionStep(action, partition.toString(), ddl, Optional.empty());
    }
}
