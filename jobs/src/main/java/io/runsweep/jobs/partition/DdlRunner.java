package io.runsweep.jobs.partition;

import io.runsweep.jobs.common.Backoff;
import io.runsweep.jobs.common.Errors;
import io.runsweep.sql.TableName;
import io.runsweep.sql.postgresql.Ddl;
import io.runsweep.sql.postgresql.PostgresPartitions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a partition statement under the lock timeout and, when it times out waiting for a lock, tries it
 * again after a growing pause: DDL needs strong locks on a busy table, and queueing for them would stop the
 * application's own queries behind it.
 */
final class DdlRunner {
    /** lock_not_available (the lock timeout) and deadlock_detected: both may pass if tried again later. */
    private static final Set<String> RETRYABLE = Set.of("55P03", "40P01");

    private static final Duration MAX_WAIT = Duration.ofMinutes(1);

    private final PostgresPartitions partitions;
    private final Duration lockTimeout;
    private final int attempts;
    private final Backoff backoff;
    private final PartitionProgress progress;

    DdlRunner(
            PostgresPartitions partitions,
            Duration lockTimeout,
            int attempts,
            Duration backoff,
            PartitionProgress progress) {
        this.partitions = partitions;
        this.lockTimeout = lockTimeout;
        this.attempts = attempts;
        this.backoff = new Backoff(backoff, MAX_WAIT, false);
        this.progress = progress;
    }

    StepResult run(Connection connection, PartitionStep step) throws InterruptedException {
        List<String> retries = new ArrayList<>();
        Ddl ddl = step.ddl();
        for (int attempt = 1; ; attempt++) {
            try {
                partitions.execute(connection, ddl, lockTimeout);
                return new StepResult(step, StepResult.Status.DONE, ddl.text(), attempt, retries, Optional.empty());
            } catch (SQLException e) {
                String error = Errors.describe(e);
                if (!RETRYABLE.contains(e.getSQLState()) || attempt == attempts) {
                    return new StepResult(
                            step,
                            StepResult.Status.FAILED,
                            ddl.text(),
                            attempt,
                            retries,
                            Optional.of(failure(attempt, error, RETRYABLE.contains(e.getSQLState()))));
                }
                retries.add("attempt " + attempt + ": " + error);
                Duration wait = backoff.delay(attempt);
                progress.retrying(step, attempt, error, wait);
                Thread.sleep(wait.toMillis());
                try {
                    ddl = resumed(connection, step, ddl);
                } catch (SQLException pending) {
                    return new StepResult(
                            step,
                            StepResult.Status.FAILED,
                            ddl.text(),
                            attempt,
                            retries,
                            Optional.of("could not read whether the interrupted detach is pending: "
                                    + Errors.describe(pending)));
                }
            }
        }
    }

    /** A concurrent detach interrupted after its first transaction can only be finished, not restarted. */
    private Ddl resumed(Connection connection, PartitionStep step, Ddl ddl) throws SQLException {
        if (step.finalizeIfInterrupted().isEmpty()) {
            return ddl;
        }
        return partitions.detachPending(connection, TableName.parse(step.partition()))
                ? step.finalizeIfInterrupted().get()
                : ddl;
    }

    private String failure(int attempt, String error, boolean timedOut) {
        if (!timedOut) {
            return error;
        }
        return "gave up after " + attempt + (attempt == 1 ? " attempt" : " attempts") + ", each waiting up to "
                + lockTimeout.toMillis() + " ms for its lock (runsweep.database.lock-timeout); another session holds a"
                + " conflicting lock on the table, see pg_locks: " + error;
    }
}
