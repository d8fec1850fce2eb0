package io.runsweep.jobs.schedule;

import io.runsweep.sql.Database;
import io.runsweep.sql.JobLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A daemon's lock on one job, on a connection of the daemon's own pool, that can be taken again on a new
 * session after its session ended under the job (a server restart, a terminated backend), unless another
 * daemon took it meanwhile. Used by one job thread at a time.
 */
final class RenewableJobLock implements JobLock {
    private final Database database;
    private final String job;
    private Connection session;
    private JobLock held;
    private boolean lostToAnother;

    private RenewableJobLock(Database database, String job, Connection session, JobLock held) {
        this.database = database;
        this.job = job;
        this.session = session;
        this.held = held;
    }

    /** Empty when another daemon holds the job's lock. */
    static Optional<RenewableJobLock> tryTake(Database database, String job) throws SQLException {
        Connection session = database.connection();
        try {
            Optional<JobLock> lock = database.dialect().tryLock(session, job);
            if (lock.isEmpty()) {
                session.close();
                return Optional.empty();
            }
            return Optional.of(new RenewableJobLock(database, job, session, lock.get()));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(session, e);
            throw e;
        }
    }

    @Override
    public void confirm(Connection writes) throws SQLException {
        held.confirm(writes);
    }

    @Override
    public boolean retake() throws SQLException {
        // The old session lost the lock, so it is gone or unusable: evicted, lest the pool hand it out again.
        database.pool().evictConnection(session);
        held = JobLock.NONE;
        session = database.connection();
        Optional<JobLock> lock;
        try {
            lock = database.dialect().tryLock(session, job);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(session, e);
            throw e;
        }
        if (lock.isEmpty()) {
            lostToAnother = true;
            return false;
        }
        held = lock.get();
        return true;
    }

    /** Another daemon took the job's lock after this one lost it: the run under way ended early. */
    boolean lostToAnother() {
        return lostToAnother;
    }

    @Override
    public void close() throws SQLException {
        try (Connection closing = session) {
            held.close();
        }
    }

    private static void closeQuietly(Connection connection, Exception cause) {
        try {
            connection.close();
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }
}
