package io.runsweep.sql;

import java.sql.SQLException;

/** The job's lock between daemons is no longer held: its session ended, or another daemon took it. */
public final class LockLostException extends SQLException {
    private static final long serialVersionUID = 1L;

    public LockLostException(String message) {
        super(message);
    }
}
