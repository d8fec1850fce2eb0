package io.runsweep.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A job's lock, shared by every daemon on one database, held until closed. It lives in the session of
 * the connection that took it: that connection must stay open, and unused for anything else, meanwhile.
 * A session can end under the job (a server restart, a terminated backend, a network cut), and with it the
 * lock: {@link #confirm} is how a job's writes prove, each in its own transaction, that it still holds it.
 */
public interface JobLock extends AutoCloseable {
    /** What a database that needs no lock between daemons hands out (SQLite), and a run outside the daemon. */
    JobLock NONE = () -> {};

    /**
     * Proves, as a statement of the transaction open on {@code writes}, that this lock is still held, and
     * keeps a daemon that takes the lock after it is lost from starting until that transaction ends.
     *
     * @throws LockLostException when the lock's session is gone, or another daemon has taken the lock
     */
    default void confirm(Connection writes) throws SQLException {}

    /**
     * After the lock was lost: takes it again on a new session, unless another daemon holds it now.
     *
     * @return true when held again; false when another daemon took it, and the job must stop
     */
    default boolean retake() throws SQLException {
        return false;
    }

    @Override
    void close() throws SQLException;
}
