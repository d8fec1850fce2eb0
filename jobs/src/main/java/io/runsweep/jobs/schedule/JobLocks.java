package io.runsweep.jobs.schedule;

import io.runsweep.sql.Database;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Takes a job's lock between daemons (see {@link io.runsweep.sql.Dialect#tryLock}) on a connection of its
 * own, held for the job's whole run and returned to the pool with the lock.
 */
public final class JobLocks {
    private final Database database;

    /** @param database a pool apart from the jobs' own, so that a held lock never starves a job of connections */
    public JobLocks(Database database) {
        this.database = database;
    }

    /** Empty when another daemon holds the job's lock. */
    Optional<RenewableJobLock> tryLock(String job) throws SQLException {
        return RenewableJobLock.tryTake(database, job);
    }
}
