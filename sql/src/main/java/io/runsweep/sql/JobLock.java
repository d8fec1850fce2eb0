package io.runsweep.sql;

import java.sql.SQLException;

/**
 * A job's lock, shared by every daemon on one database, held until closed. It lives in the session of
 * the connection that took it: that connection must stay open, and unused for anything else, meanwhile.
 */
@FunctionalInterface
public interface JobLock extends AutoCloseable {
    /** What a database that needs no lock between daemons hands out (SQLite). */
    JobLock NONE = () -> {};

    @Override
    void close() throws SQLException;
}
