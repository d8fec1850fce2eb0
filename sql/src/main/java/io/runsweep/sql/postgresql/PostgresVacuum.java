package io.runsweep.sql.postgresql;

import io.runsweep.sql.Sql;
import io.runsweep.sql.TableName;
import io.runsweep.sql.TableStats;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's VACUUM and ANALYZE, and the figures that show what they did: table size and dead rows.
 * VACUUM cannot run inside a transaction block, so every statement here runs on an auto-commit connection.
 */
public final class PostgresVacuum {

    private static final String SERVER_FILES = """
      SELECT current_setting('data_directory'), pg_relation_filepath(to_regclass(?)),
             current_setting('port')::int, extract(epoch FROM pg_postmaster_start_time())::bigint""";

    /**
     * Whether the role may VACUUM or ANALYZE the table, decided as the server decides it: up to PostgreSQL 16
     * by ownership (its owner, a member of the owner's role, a superuser), from 17 by the MAINTAIN privilege
     * (its owner, {@code pg_maintain}, a grant); in every release the database's owner may, but for shared
     * catalogs. The names come back quoted by the server, ready for a GRANT.
     */
    private static final String MAY_MAINTAIN = """
      SELECT %s OR (NOT c.relisshared AND pg_has_role(d.datdba, 'USAGE')),
             quote_ident(current_user), quote_ident(pg_get_userbyid(c.relowner)),
             current_setting('autovacuum')::bool AND NOT EXISTS (
               SELECT FROM pg_options_to_table(c.reloptions)
                WHERE option_name = 'autovacuum_enabled' AND NOT option_value::bool),
             (SELECT rolsuper FROM pg_roles WHERE oid = c.relowner)
        FROM pg_class c JOIN pg_database d ON d.datname = current_database()
       WHERE c.oid = to_regclass(?)""";

    /** The next transaction id to be given out: what a snapshot taken now would not see. */
    private static final String NEXT_XID = "SELECT txid_snapshot_xmax(txid_current_snapshot())";

    /**
     * What keeps VACUUM from removing this database's dead rows, each with its age in transactions: another
     * session's snapshot or transaction in this database, or in none (a replica's, with hot_standby_feedback, is
     * its WAL sender's), a prepared transaction of this database, a replication slot. As the server decides it:
     * sessions in other databases hold back only the shared catalogs, and a VACUUM's own snapshot (a lazy VACUUM,
     * listed in pg_stat_progress_vacuum) holds back nothing. A role without pg_read_all_stats sees another role's
     * session's pid, role, application and xmin, but not its state or start.
     */
    private static final String HOLDERS = """
        SELECT 'session' AS kind, 'pid ' || pid AS name, usename::text AS role, application_name AS application,
               state, xact_start AS since, greatest(age(backend_xmin), age(backend_xid)) AS age
          FROM pg_stat_activity
         WHERE pid <> pg_backend_pid() AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL)
           AND (datname = current_database() OR datid IS NULL)
           AND pid NOT IN (SELECT pid FROM pg_stat_progress_vacuum)
        UNION ALL
        SELECT 'prepared transaction', quote_literal(gid), owner::text, NULL, NULL, prepared, age(transaction)
          FROM pg_prepared_xacts
         WHERE database = current_database()
        UNION ALL
        SELECT 'replication slot', quote_ident(slot_name), NULL, NULL, NULL, NULL, age(xmin)
          FROM pg_replication_slots
         WHERE xmin IS NOT NULL""";

    /**
     * The oldest holder that began before the given next transaction id (a 64-bit txid). Both sides are ages,
     * counted from the same next id: the holder's xmin is older than the given id exactly when its age is greater.
     */
    private static final String SNAPSHOT_HELD_SINCE =
            "SELECT kind, name, role, application, state, since FROM (" + HOLDERS + """
      ) holders
      WHERE age > age((?::bigint % 4294967296)::text::xid)
      ORDER BY age DESC
      LIMIT 1""";

    /** The oldest holder, its age in transactions, and in seconds since its transaction began where that shows. */
    private static final String OLDEST_SNAPSHOT = "SELECT kind, name, role, application, state, since, age,"
            + " extract(epoch FROM clock_timestamp() - since) AS seconds FROM (" + HOLDERS + """
      ) holders
      ORDER BY age DESC
      LIMIT 1""";

    /** PostgreSQL's lock_not_available: lock_timeout ran out. */
    public static final String LOCK_TIMEOUT = "55P03";

    /** The first release where a privilege, MAINTAIN, lets a role that does not own a table vacuum it. */
    private static final int MAINTAIN_PRIVILEGE = 17;

    /** The first release with the shared-memory statistics system and pg_stat_force_next_flush(). */
    private static final int SHARED_MEMORY_STATS = 15;

    /**
     * Before it, a statistics collector: a session sends it its counts when it goes idle, at most once per
     * PGSTAT_STAT_INTERVAL (500 ms), and a reader accepts a statistics file up to that old. Waiting a little
     * longer than the interval is what makes a count sent, or a count sent read back.
     */
    private static final long COLLECTOR_INTERVAL_MILLIS = 600;

    public Sql vacuum(TableName table) {
        return Sql.of("VACUUM (ANALYZE) " + table.quoted(), List.of());
    }

    public Sql vacuumFull(TableName table) {
        return Sql.of("VACUUM (FULL, ANALYZE) " + table.quoted(), List.of());
    }

    public Sql analyze(TableName table) {
        return Sql.of("ANALYZE " + table.quoted(), List.of());
    }

    /**
     * Publishes this session's pending statistics (rows it deleted) now rather than up to 10 s later, so
     * that the next read of them, by any session, counts them. PostgreSQL 15 flushes a session's counts when
     * it goes idle, at most once a second; the flush this requests happens as the statement ends, before the
     * call returns. Earlier releases have no such call: this waits out the collector's interval on both sides
     * of the moment the session goes idle, about 1.2 s.
     */
    public void flushStatistics(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (sharedMemoryStatistics(connection)) {
                s.execute("SELECT pg_stat_force_next_flush()");
                return;
            }
            pauseForTheCollector();
            s.execute("SELECT 1");
            pauseForTheCollector();
        }
    }

    /** The table's size, rows and dead rows now. */
    public TableStats stats(Connection connection, TableName table) throws SQLException {
        return new PostgresStats().table(connection, table, false);
    }

    /**
     * The sessions holding a lock on {@code table} that VACUUM (any lock, for VACUUM FULL) would wait for, each as
     * {@code pid 4242 (user app, application "migrate", ShareLock: CREATE INDEX ...)}.
     */
    public List<String> lockHolders(Connection connection, TableName table, boolean full) throws SQLException {
        List<String> holders = new ArrayList<>();
        for (RelationLockHolders.Holder h : RelationLockHolders.of(
                connection, List.of(table), full, RelationLockHolders.BLOCKING_VACUUM, false, 3)) {
            holders.add("pid " + h.pid() + " (" + h.who() + ", " + h.mode()
                    + (h.query() == null || h.query().startsWith("<")
                            ? ""
                            : ": " + h.query().strip()) + ")");
        }
        return holders;
    }

    /** The next transaction id to be given out, read before a purge or a VACUUM for {@link #snapshotHeldSince}. */
    public long nextXid(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(NEXT_XID)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The oldest snapshot, transaction or slot held since before {@code nextXid} was given out, if any: what may
     * still see every row deleted since then, so that no VACUUM can remove them yet.
     */
    public Optional<SnapshotHolder> snapshotHeldSince(Connection connection, long nextXid) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(SNAPSHOT_HELD_SINCE)) {
            s.setLong(1, nextXid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(holder(rs)) : Optional.empty();
            }
        }
    }

    /**
     * The oldest snapshot, transaction or slot that keeps VACUUM from removing this database's dead rows (the
     * xmin horizon's holder), if any.
     */
    public Optional<OldestSnapshot> oldestSnapshot(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(OLDEST_SNAPSHOT)) {
            if (!rs.next()) {
                return Optional.empty();
            }
            double seconds = rs.getDouble("seconds");
            Optional<Duration> age = rs.wasNull()
                    ? Optional.empty()
                    : Optional.of(Duration.ofMillis(Math.max(0, Math.round(seconds * 1000))));
            return Optional.of(new OldestSnapshot(holder(rs), rs.getLong("age"), age));
        }
    }

    /**
     * The xmin horizon's holder.
     *
     * @param transactions transactions begun since its snapshot was taken (its xmin's age)
     * @param age how long it has been held: since its transaction began (a session's) or was prepared; empty for a
     *     replication slot, and for another role's session when the role may not read pg_stat_activity's times
     *     (pg_read_all_stats)
     */
    public record OldestSnapshot(SnapshotHolder holder, long transactions, Optional<Duration> age) {}

    private static SnapshotHolder holder(ResultSet rs) throws SQLException {
        return new SnapshotHolder(
                rs.getString("kind"),
                rs.getString("name"),
                Optional.ofNullable(rs.getString("role")),
                Optional.ofNullable(rs.getString("application")).filter(a -> !a.isEmpty()),
                Optional.ofNullable(rs.getString("state")),
                Optional.ofNullable(rs.getTimestamp("since")).map(java.sql.Timestamp::toInstant));
    }

    /**
     * What keeps dead rows from being removed: a session, a prepared transaction or a replication slot.
     *
     * @param name {@code pid 4242}, the prepared transaction's quoted gid, or the slot's quoted name
     * @param state a session's state ({@code idle in transaction}), where the role may read it
     * @param since when its transaction began (a session's) or was prepared, where the role may read it
     */
    public record SnapshotHolder(
            String kind,
            String name,
            Optional<String> role,
            Optional<String> application,
            Optional<String> state,
            Optional<Instant> since) {
        /** {@code session pid 4242 (role app, application dashboard, idle in transaction since 2026-...Z)} */
        public String describe() {
            List<String> about = new ArrayList<>();
            role.ifPresent(r -> about.add("role " + r));
            application.ifPresent(a -> about.add("application " + a));
            String when =
                    since.map(t -> "since " + t.truncatedTo(ChronoUnit.SECONDS)).orElse("");
            String stateSince = (state.orElse("") + " " + when).strip();
            if (!stateSince.isEmpty()) {
                about.add(stateSince);
            }
            return kind + " " + name + (about.isEmpty() ? "" : " (" + String.join(", ", about) + ")");
        }
    }

    /**
     * Why this role may not VACUUM or ANALYZE the table, if it may not. The server would not refuse such a
     * statement: it skips the table with a WARNING and reports success.
     */
    public Optional<Denied> maintenanceDenied(Connection connection, TableName table) throws SQLException {
        boolean maintainPrivilege = connection.getMetaData().getDatabaseMajorVersion() >= MAINTAIN_PRIVILEGE;
        String may = maintainPrivilege ? "has_table_privilege(c.oid, 'MAINTAIN')" : "pg_has_role(c.relowner, 'USAGE')";
        try (PreparedStatement s = connection.prepareStatement(MAY_MAINTAIN.formatted(may))) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || rs.getBoolean(1)) {
                    return Optional.empty();
                }
                return Optional.of(new Denied(
                        rs.getString(2), rs.getString(3), rs.getBoolean(5), rs.getBoolean(4), maintainPrivilege));
            }
        }
    }

    /**
     * A role that may not VACUUM or ANALYZE a table.
     *
     * @param role the connected role, quoted as SQL needs it
     * @param owner the table's owner, quoted as SQL needs it
     * @param ownerIsSuperuser membership in the owner's role would let the role become a superuser (SET ROLE)
     * @param autovacuum autovacuum is on, and not turned off for this table
     * @param maintainPrivilege the server has the MAINTAIN privilege (PostgreSQL 17 and later)
     */
    public record Denied(
            String role, String owner, boolean ownerIsSuperuser, boolean autovacuum, boolean maintainPrivilege) {
        /** Who may, as the server's release decides it. */
        public String whoMay() {
            return maintainPrivilege
                    ? "a role with the MAINTAIN privilege on it (its owner " + owner
                            + ", pg_maintain), or the database's" + " owner"
                    : "its owner " + owner + ", a member of that role, a superuser, or the database's owner";
        }

        /**
         * The statement an administrator runs to let the role: the narrowest grant the release offers. None where
         * the narrowest is membership in a superuser's role, which would make the role a superuser.
         */
        public Optional<String> grant(TableName table) {
            if (maintainPrivilege) {
                return Optional.of("GRANT MAINTAIN ON " + table.quoted() + " TO " + role + ";");
            }
            return ownerIsSuperuser ? Optional.empty() : Optional.of("GRANT " + owner + " TO " + role + ";");
        }

        /** What an administrator can do, and what it gives: the grant, or why there is none. */
        public String advice(TableName table) {
            return grant(table)
                    .map(grant -> "For Runsweep to do it, an administrator runs: " + grant
                            + (maintainPrivilege
                                    ? ""
                                    : " (membership lets " + role + " act as " + owner + " in everything, SET ROLE and"
                                            + " DROP included; PostgreSQL 17's GRANT MAINTAIN gives VACUUM and ANALYZE"
                                            + " alone)"))
                    .orElse(withoutGrant());
        }

        /** Why no grant is offered: the owner is a superuser. */
        public String withoutGrant() {
            return "Its owner " + owner + " is a superuser, and membership in that role would make " + role
                    + " one (SET ROLE): run Runsweep as a superuser for it to do this, or leave it to autovacuum;"
                    + " PostgreSQL 17's GRANT MAINTAIN gives VACUUM and ANALYZE alone.";
        }
    }

    /**
     * Where the table's files are, as the server sees its own disk. Reading {@code data_directory} needs
     * superuser or {@code pg_read_all_settings}; without it this throws (SQL state 42501).
     */
    public ServerFiles serverFiles(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(SERVER_FILES)) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new ServerFiles(Path.of(rs.getString(1)), Path.of(rs.getString(2)), rs.getInt(3), rs.getLong(4));
            }
        }
    }

    /**
     * Runs a VACUUM or ANALYZE outside any transaction block, giving up after {@code lockTimeout} rather
     * than queueing behind the application's locks (and making its next queries queue behind this one).
     *
     * @return the server's warnings, e.g. that a table was skipped because this user does not own it
     */
    public List<String> run(Connection connection, Sql statement, Duration lockTimeout) throws SQLException {
        if (!connection.getAutoCommit()) {
            throw new IllegalStateException("VACUUM and ANALYZE must run on an auto-commit connection");
        }
        List<String> warnings = SessionLockTimeout.with(connection, lockTimeout, () -> {
            try (Statement s = connection.createStatement()) {
                s.execute(statement.text());
                return warnings(s.getWarnings());
            }
        });
        if (!sharedMemoryStatistics(connection)) {
            // VACUUM sent its figures as it ended; a read before the collector's interval is over may not see them.
            pauseForTheCollector();
        }
        return warnings;
    }

    private static boolean sharedMemoryStatistics(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseMajorVersion() >= SHARED_MEMORY_STATS;
    }

    private static void pauseForTheCollector() {
        try {
            Thread.sleep(COLLECTOR_INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> warnings(SQLWarning first) {
        List<String> warnings = new ArrayList<>();
        for (SQLWarning w = first; w != null; w = w.getNextWarning()) {
            warnings.add(w.getMessage());
        }
        return warnings;
    }
}
