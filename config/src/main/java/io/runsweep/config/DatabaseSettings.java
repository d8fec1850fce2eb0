package io.runsweep.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the run-history database is and how to treat it.
 *
 * @param url as the user wrote it (JDBC or SQLAlchemy form); empty means "the default Prefect database"
 * @param lockTimeout PostgreSQL {@code lock_timeout} for every write, so a batch never queues behind the application
 * @param busyTimeout SQLite busy timeout, so a batch waits briefly for the server's write lock and then gives up
 * @param statementTimeout PostgreSQL {@code statement_timeout} for every statement Runsweep runs
 * @param idleInTransactionTimeout PostgreSQL {@code idle_in_transaction_session_timeout} of Runsweep's sessions
 */
public record DatabaseSettings(
        Optional<String> url,
        Optional<String> user,
        Optional<Secret> password,
        int poolSize,
        Duration connectTimeout,
        Duration lockTimeout,
        Duration busyTimeout,
        Duration statementTimeout,
        Duration idleInTransactionTimeout) {

    /** Masks the URL's password too: the generated toString would print it into any log line. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url.map(Secret::maskUrl) + ", user=" + user + ", password=" + password
                + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout + ", lockTimeout=" + lockTimeout
                + ", busyTimeout=" + busyTimeout + ", statementTimeout=" + statementTimeout
                + ", idleInTransactionTimeout=" + idleInTransactionTimeout + "]";
    }
}
