package io.runsweep.jobs.checks;

import io.runsweep.sql.postgresql.PostgresVacuum;
import java.time.Duration;
import java.util.Optional;

/**
 * PostgreSQL: the oldest snapshot, transaction or replication slot that keeps VACUUM from removing this
 * database's dead rows (the xmin horizon), or none.
 */
public record SnapshotCheck(Optional<PostgresVacuum.OldestSnapshot> oldest) {

    /** Transactions begun since the oldest snapshot was taken; 0 when none is held. */
    public long transactions() {
        return oldest.map(PostgresVacuum.OldestSnapshot::transactions).orElse(0L);
    }

    /**
     * How long the oldest snapshot has been held (since its session's transaction began, or its transaction was
     * prepared); zero when none is held, empty when that does not show (a replication slot; another role's
     * session, to a role without pg_read_all_stats).
     */
    public Optional<Duration> age() {
        return oldest.isEmpty() ? Optional.of(Duration.ZERO) : oldest.get().age();
    }
}
