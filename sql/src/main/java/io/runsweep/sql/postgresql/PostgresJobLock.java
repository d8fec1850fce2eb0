package io.runsweep.sql.postgresql;

import io.runsweep.sql.JobLock;
import io.runsweep.sql.LockLostException;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A job's lock between daemons: a session-level advisory lock on the job's key, held by one connection for
 * the job's whole run. The server drops it when that session ends, so a crashed daemon never leaves a job
 * locked; but a session can also end under a daemon still running the job. Two things keep the two daemons
 * apart then. Each write transaction of the job takes a shared transaction-level lock on a second key, the
 * job's writes key, and checks in the same statement that its lock's session still holds the job's key. A
 * daemon that takes the job's key then waits for the writes key once, exclusively, before it starts: for
 * every transaction of the previous holder still under way to end. So no write of the one that lost the
 * lock commits after the one that took it has begun.
 */
final class PostgresJobLock implements JobLock {
    private static final String TAKE = "SELECT pg_try_advisory_lock(?), pg_backend_pid()";
    // Waits, under the session's lock_timeout, for the previous holder's write under way, if any.
    private static final String AWAIT_WRITES = "SELECT pg_advisory_xact_lock(?)";
    private static final String CONFIRM = """
      SELECT pg_try_advisory_xact_lock_shared(?) AND EXISTS (
        SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND mode = 'ExclusiveLock'
          AND pid = ? AND classid = ? AND objid = ? AND objsubid = 1)""";
    private static final String RELEASE = "SELECT pg_advisory_unlock(?)";

    private final PostgresDialect dialect;
    private final Connection session;
    private final String job;
    private final long key;
    private final long writesKey;
    private final int pid;

    private PostgresJobLock(
            PostgresDialect dialect, Connection session, String job, long key, long writesKey, int pid) {
        this.dialect = dialect;
        this.session = session;
        this.job = job;
        this.key = key;
        this.writesKey = writesKey;
        this.pid = pid;
    }

    /** Empty when another session holds the job's key, or a write of the previous holder outlasts the lock timeout. */
    static Optional<JobLock> tryTake(PostgresDialect dialect, Connection session, String job) throws SQLException {
        long key = PostgresDialect.lockKey(job);
        long writesKey = PostgresDialect.lockKey(job + ":writes");
        int pid;
        try (PreparedStatement s = session.prepareStatement(TAKE)) {
            s.setLong(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
                pid = rs.getInt(2);
            }
        }
        PostgresJobLock lock = new PostgresJobLock(dialect, session, job, key, writesKey, pid);
        try {
            lock.awaitPreviousWrites();
        } catch (SQLException e) {
            lock.close();
            if ("55P03".equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(lock);
    }

    private void awaitPreviousWrites() throws SQLException {
        Transactions.commit(session, () -> {
            try (PreparedStatement s = session.prepareStatement(AWAIT_WRITES)) {
                s.setLong(1, writesKey);
                s.execute();
            }
            return null;
        });
    }

    @Override
    public void confirm(Connection writes) throws SQLException {
        try (PreparedStatement s = writes.prepareStatement(CONFIRM)) {
            s.setLong(1, writesKey);
            s.setInt(2, pid);
            s.setLong(3, key >>> 32);
            s.setLong(4, key & 0xFFFFFFFFL);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new LockLostException("the lock of job '" + job + "' is no longer held: its session (pid "
                            + pid + ") ended, or another daemon took the lock");
                }
            }
        }
    }

    /** A session that is gone took the lock with it: nothing is left to release. */
    @Override
    public void close() throws SQLException {
        try (PreparedStatement s = session.prepareStatement(RELEASE)) {
            s.setLong(1, key);
            s.execute();
        } catch (SQLException e) {
            if (!dialect.sessionLost(session, e)) {
                throw e;
            }
        }
    }
}
