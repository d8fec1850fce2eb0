package io.runsweep.sql.postgresql;

import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.DatabaseOpenException;
import io.runsweep.sql.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether each of Runsweep's connections has a server session of its own, as it must. A connection pooler in
 * transaction or statement mode (PgBouncer's {@code pool_mode = transaction}, Supavisor's port 6543) hands a server
 * session to whichever client begins a transaction. Then the settings Runsweep makes for its sessions ({@code
 * lock_timeout}, a dry run's {@code default_transaction_read_only}) stay on server sessions the application's
 * transactions run on next, Runsweep's own later transactions run without them, and a statement one of its
 * connections prepared runs, by name, with another connection's values.
 *
 * <p>Told by what the server answers, before the pool's first connection sets anything: two connections ask for
 * their backend's pid in turns, each in transactions that begin and end in both orders. Without a pooler in between,
 * or through one in session mode, each always gets the same pid and never the other's. A pooler in transaction mode
 * hands the session one released to the next transaction: last in, first out (PgBouncer's default) or first in,
 * first out ({@code server_round_robin}), the turns below move at least one connection to another session.
 */
public final class SessionPooling {
    /** too_many_connections: the server's, or the role's CONNECTION LIMIT. */
    public static final String TOO_MANY_CONNECTIONS = "53300";

    /**
     * Databases (user and URL) found to give each connection its own session: a command or a daemon opens more than
     * one pool on the same database (read-only and not, the daemon's own and its jobs'), and need not ask again.
     */
    private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

    private SessionPooling() {}

    /**
     * @throws DatabaseOpenException naming the redacted URL, when the two connections cannot be made, or when a
     *     pooler shares their sessions
     */
    public static void requireOwnSessions(DatabaseUrl url, ConnectionOptions options) {
        String checked = url.user().orElse("") + "@" + url.jdbcUrl();
        if (CHECKED.contains(checked)) {
            return;
        }
        Properties properties = new Properties();
        url.user().ifPresent(user -> properties.setProperty("user", user));
        url.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", PostgresPool.APPLICATION_NAME);
        properties.setProperty("connectTimeout", String.valueOf(PostgresPool.ceilSeconds(options.connectTimeout())));
        // No statement prepared by name (pgjdbc names even its BEGIN after a few uses): each would meet the others'.
        properties.setProperty("prepareThreshold", "0");
        Optional<String> shared;
        try (Connection a = DriverManager.getConnection(url.jdbcUrl(), properties)) {
            Connection b;
            try {
                b = DriverManager.getConnection(url.jdbcUrl(), properties);
            } catch (SQLException e) {
                if (TOO_MANY_CONNECTIONS.equals(e.getSQLState())) {
                    // A role limited to one connection (pool-size = 1): no second one to tell sessions apart with.
                    return;
                }
                throw e;
            }
            try (b) {
                shared = shared(a, b);
            }
        } catch (SQLException e) {
            throw DatabaseOpenException.of(url, e);
        }
        if (shared.isEmpty()) {
            CHECKED.add(checked);
        }
        shared.ifPresent(why -> {
            throw new DatabaseOpenException(
                    "Cannot open database " + url.redacted() + ": " + why
                            + ": a connection pooler in transaction or statement mode stands in between (PgBouncer's"
                            + " pool_mode = transaction, Supavisor's port 6543). Runsweep needs a server session of"
                            + " its own for each connection: the lock_timeout and read-only settings it makes for its"
                            + " session would stay for the application's transactions, and a statement it prepared"
                            + " could run with another's values. Connect to the server directly, or through a pool in"
                            + " session mode (PgBouncer: pool_mode = session on Runsweep's database entry)",
                    null);
        });
    }

    /** What shows that {@code a} and {@code b} share server sessions; empty when each kept its own. */
    static Optional<String> shared(Connection a, Connection b) throws SQLException {
        List<Long> pidsOfA = new ArrayList<>();
        List<Long> pidsOfB = new ArrayList<>();
        pidsOfA.add(pid(a));
        pidsOfB.add(pid(b));
        a.setAutoCommit(false);
        b.setAutoCommit(false);
        pidsOfA.add(pid(a));
        pidsOfB.add(pid(b));
        a.commit();
        b.commit();
        a.setAutoCommit(true);
        b.setAutoCommit(true);
        pidsOfB.add(pid(b));
        pidsOfA.add(pid(a));
        // No pid in the words: the daemon logs a reason again only when it changes, and pids change every try.
        Set<Long> ofA = new HashSet<>(pidsOfA);
        Set<Long> ofB = new HashSet<>(pidsOfB);
        if (ofA.size() > 1 || ofB.size() > 1) {
            return Optional.of("a connection was moved from one server session (backend pid) to another between its"
                    + " transactions");
        }
        if (ofA.equals(ofB)) {
            return Optional.of("two connections were given the same server session (backend pid)");
        }
        return Optional.empty();
    }

    private static long pid(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
