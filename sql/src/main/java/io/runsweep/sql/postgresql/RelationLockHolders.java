package io.runsweep.sql.postgresql;

import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The sessions holding a granted lock on some tables, in the modes a statement of Runsweep waits for, oldest
 * transaction first: what a lock timeout's message names. A role without pg_read_all_stats sees another role's
 * pid, user and application, not its state or statement.
 */
final class RelationLockHolders {
    private static final String HOLDERS = """
      SELECT l.relation::regclass::text, a.pid, a.usename, a.application_name, a.state,
             extract(epoch FROM now() - coalesce(a.xact_start, a.state_change))::bigint, l.mode, a.query
      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
        AND l.relation IN (SELECT to_regclass(t) FROM unnest(?::text[]) AS t)
        AND (? OR l.mode = ANY (?::text[])
             OR (? AND l.mode = 'RowExclusiveLock' AND a.state LIKE 'idle in transaction%'))
      ORDER BY a.xact_start NULLS LAST
      LIMIT ?""";

    /** The modes that conflict with a DELETE's ROW EXCLUSIVE lock. */
    static final Set<String> BLOCKING_DELETE =
            Set.of("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    /** The modes that conflict with VACUUM's and ANALYZE's SHARE UPDATE EXCLUSIVE lock. */
    static final Set<String> BLOCKING_VACUUM = Set.of(
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    /**
     * A session holding a lock.
     *
     * @param user null for a background process (an autovacuum worker)
     * @param state null where the role may not read it
     * @param seconds since its transaction began (or its state last changed); null where the role may not read it
     * @param query null where the role may not read it
     */
    record Holder(
            String relation,
            int pid,
            String user,
            String application,
            String state,
            Long seconds,
            String mode,
            String query) {
        /**
         * Who it is, for a message: {@code user app, application "migrate"}; {@code user unknown} for a background
         * process, which has no user.
         */
        String who() {
            return "user " + (user == null ? "unknown" : user) + ", application \""
                    + (application == null ? "" : application) + "\"";
        }

        /**
         * What it is doing and since when: {@code idle in transaction for 12 s}; {@code state unknown} where the
         * role may read neither (another role's session, without pg_read_all_stats), rather than a made-up 0 s.
         */
        String activity() {
            String doing = state == null ? "state unknown" : state;
            return seconds == null ? doing : doing + " for " + seconds + " s";
        }

        /** Its statement's first {@code chars} characters, empty where the role may not read it. */
        String statement(int chars) {
            String q = query == null ? "" : query;
            return q.substring(0, q.offsetByCodePoints(0, Math.min(chars, q.codePointCount(0, q.length()))));
        }
    }

    private RelationLockHolders() {}

    /**
     * @param anyMode every granted lock counts (what VACUUM FULL's ACCESS EXCLUSIVE waits for), else those in
     *     {@code modes}
     * @param idleRowLocks also ROW EXCLUSIVE held by a session idle in its transaction: its row locks are what a
     *     DELETE waits for
     */
    static List<Holder> of(
            Connection connection,
            List<TableName> tables,
            boolean anyMode,
            Set<String> modes,
            boolean idleRowLocks,
            int limit)
            throws SQLException {
        List<Holder> holders = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(HOLDERS)) {
            s.setArray(
                    1,
                    connection.createArrayOf(
                            "text", tables.stream().map(TableName::quoted).toArray()));
            s.setBoolean(2, anyMode);
            s.setArray(3, connection.createArrayOf("text", modes.toArray()));
            s.setBoolean(4, idleRowLocks);
            s.setInt(5, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    holders.add(new Holder(
                            rs.getString(1),
                            rs.getInt(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getObject(6, Long.class),
                            rs.getString(7),
                            rs.getString(8)));
                }
            }
        }
        return holders;
    }
}
