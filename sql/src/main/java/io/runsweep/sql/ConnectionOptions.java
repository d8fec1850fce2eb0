package io.runsweep.sql;

import java.time.Duration;
import java.util.Objects;

/**
 * How connections to the database are opened. Checked once here so that a pool never starts with a value
 * that the driver would silently round, clamp or ignore.
 *
 * @param poolSize most connections open at once
 * @param connectTimeout longest wait for a new connection (driver) and for a free one (pool); at least 250 ms
 * @param busyTimeout SQLite only: how long a statement waits on another process's lock before failing
 * @param statementTimeout PostgreSQL only: server-side limit per statement; zero leaves the server's setting
 * @param readOnly the database refuses writes on these connections (dry runs, checks)
 * @param poolName names the pool in logs and threads
 * @param createIfMissing SQLite only: create the file when absent, instead of failing
 * @param lockTimeout PostgreSQL only: the session's lock_timeout, so that no statement (planning, checks,
 *     maintenance) queues behind the application's locks; zero leaves the server's setting
 * @param idleInTransactionTimeout PostgreSQL only: the session's idle_in_transaction_session_timeout, so that a
 *     paused or stalled Runsweep never keeps a transaction and its row locks open; zero leaves the server's setting
 */
public record ConnectionOptions(
        int poolSize,
        Duration connectTimeout,
        Duration busyTimeout,
        Duration statementTimeout,
        boolean readOnly,
        String poolName,
        boolean createIfMissing,
        Duration lockTimeout,
        Duration idleInTransactionTimeout) {

    // HikariCP refuses a connectionTimeout below this.
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);

    public ConnectionOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        Objects.requireNonNull(poolName, "poolName");
        require(poolSize >= 1, "poolSize must be at least 1, got " + poolSize);
        require(
                connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) >= 0,
                "connectTimeout must be at least 250 ms, got " + connectTimeout.toMillis() + " ms");
        require(fitsInIntMillis(busyTimeout), "busyTimeout must be 0 to 2147483647 ms, got " + busyTimeout);
        require(
                fitsInIntMillis(statementTimeout),
                "statementTimeout must be 0 (none) to 2147483647 ms, got " + statementTimeout);
        require(!poolName.isBlank(), "poolName must not be blank");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(idleInTransactionTimeout, "idleInTransactionTimeout");
        require(fitsInIntMillis(lockTimeout), "lockTimeout must be 0 (none) to 2147483647 ms, got " + lockTimeout);
        require(
                fitsInIntMillis(idleInTransactionTimeout),
                "idleInTransactionTimeout must be 0 (none) to 2147483647 ms, got " + idleInTransactionTimeout);
    }

    /** Options that leave the server's lock_timeout and idle_in_transaction_session_timeout as they are. */
    public ConnectionOptions(
            int poolSize,
            Duration connectTimeout,
            Duration busyTimeout,
            Duration statementTimeout,
            boolean readOnly,
            String poolName,
            boolean createIfMissing) {
        this(
                poolSize,
                connectTimeout,
                busyTimeout,
                statementTimeout,
                readOnly,
                poolName,
                createIfMissing,
                Duration.ZERO,
                Duration.ZERO);
    }

    public ConnectionOptions withPoolSize(int size) {
        return new ConnectionOptions(
                size,
                connectTimeout,
                busyTimeout,
                statementTimeout,
                readOnly,
                poolName,
                createIfMissing,
                lockTimeout,
                idleInTransactionTimeout);
    }

    public ConnectionOptions withConnectTimeout(Duration timeout) {
        return new ConnectionOptions(
                poolSize,
                timeout,
                busyTimeout,
                statementTimeout,
                readOnly,
                poolName,
                createIfMissing,
                lockTimeout,
                idleInTransactionTimeout);
    }

    public ConnectionOptions withBusyTimeout(Duration timeout) {
        return new ConnectionOptions(
                poolSize,
                connectTimeout,
                timeout,
                statementTimeout,
                readOnly,
                poolName,
                createIfMissing,
                lockTimeout,
                idleInTransactionTimeout);
    }

    public ConnectionOptions withStatementTimeout(Duration timeout) {
        return new ConnectionOptions(
                poolSize,
                connectTimeout,
                busyTimeout,
                timeout,
                readOnly,
                poolName,
                createIfMissing,
                lockTimeout,
                idleInTransactionTimeout);
    }

    public ConnectionOptions withReadOnly(boolean value) {
        return new ConnectionOptions(
                poolSize,
                connectTimeout,
                busyTimeout,
                statementTimeout,
                value,
                poolName,
                createIfMissing,
                lockTimeout,
                idleInTransactionTimeout);
    }

    public ConnectionOptions withPoolName(String name) {
        return new ConnectionOptions(
                poolSize,
                connectTimeout,
                busyTimeout,
                statementTimeout,
                readOnly,
                name,
                createIfMissing,
                lockTimeout,
                idleInTransactionTimeout);
    }

    public ConnectionOptions withCreateIfMissing(boolean value) {
        return new ConnectionOptions(
                poolSize,
                connectTimeout,
                busyTimeout,
                statementTimeout,
                readOnly,
                poolName,
                value,
                lockTimeout,
                idleInTransactionTimeout);
    }

    public ConnectionOptions withLockTimeout(Duration timeout) {
        return new ConnectionOptions(
                poolSize,
                connectTimeout,
                busyTimeout,
                statementTimeout,
                readOnly,
                poolName,
                createIfMissing,
                timeout,
                idleInTransactionTimeout);
    }

    public ConnectionOptions withIdleInTransactionTimeout(Duration timeout) {
        return new ConnectionOptions(
                poolSize,
                connectTimeout,
                busyTimeout,
                statementTimeout,
                readOnly,
                poolName,
                createIfMissing,
                lockTimeout,
                timeout);
    }

    private static boolean fitsInIntMillis(Duration d) {
        return !d.isNegative() && d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) <= 0;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("connection options: " + message);
        }
    }
}
