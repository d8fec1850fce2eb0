package io.runsweep.sql.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.JobLock;
import io.runsweep.sql.LockLostException;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-job lock that keeps two daemons on one database from running the same job at once. */
class JobLockTest {
    @TempDir
    Path dir;

    @Test
    void postgresGivesAJobToOneSessionAtATimeAndTakesItBackOnClose() throws Exception {
        // Read-only sessions, as the daemon's lock pool opens them: advisory locks are not writes.
        try (Database db = Databases.open(
                        DatabaseUrl.parse(TestPostgres.newDatabase()),
                        TestDatabases.options().withReadOnly(true));
                Connection first = db.connection();
                Connection second = db.connection()) {
            Dialect dialect = db.dialect();
            Optional<JobLock> held = dialect.tryLock(first, "flow-runs");
            assertTrue(held.isPresent());
            assertEquals(Optional.empty(), dialect.tryLock(second, "flow-runs"));
            assertEquals(1, advisoryLocks(second, "flow-runs"));
            try (JobLock other = dialect.tryLock(second, "logs").orElseThrow()) {
                assertEquals(1, advisoryLocks(first, "logs"), "another job's lock is independent");
            }

            held.get().close();

            assertEquals(0, advisoryLocks(second, "flow-runs"));
            try (JobLock taken = dialect.tryLock(second, "flow-runs").orElseThrow()) {
                assertEquals(Optional.empty(), dialect.tryLock(first, "flow-runs"));
            }
        }
    }

    /**
     * A write transaction confirms the lock: it fails once the lock's session is gone. A daemon that takes a
     * lock waits (up to its lock timeout) for the writes of the one before it that are still under way.
     */
    @Test
    void writesConfirmTheLockAndASuccessorWaitsForTheWritesUnderWay() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Database db = Databases.open(
                        DatabaseUrl.parse(url), TestDatabases.options().withLockTimeout(Duration.ofMillis(300)));
                Connection lockSession = db.connection();
                Connection writes = db.connection();
                Connection successor = db.connection()) {
            Dialect dialect = db.dialect();
            JobLock lock = dialect.tryLock(lockSession, "logs").orElseThrow();
            writes.setAutoCommit(false);
            lock.confirm(writes);

            lock.close();
            assertEquals(
                    Optional.empty(),
                    dialect.tryLock(successor, "logs"),
                    "free, but a write of the previous holder is under way");
            writes.commit();
            JobLock next = dialect.tryLock(successor, "logs").orElseThrow();

            writes.setAutoCommit(false);
            next.confirm(writes);
            writes.commit();
            terminate(db, pid(successor));
            LockLostException lost = assertThrows(LockLostException.class, () -> next.confirm(writes));
            writes.rollback();
            assertTrue(lost.getMessage().startsWith("the lock of job 'logs' is no longer held: its session (pid "));
            next.close(); // its session is gone, and the lock with it: nothing to release, nothing thrown
        }
    }

    private static int pid(Connection c) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_backend_pid()");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void terminate(Database db, int pid) throws Exception {
        try (Connection c = db.connection();
                // With a timeout, it waits for the session to be gone (PostgreSQL 14 and later), its locks with it.
                PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
            s.setInt(1, pid);
            s.execute();
        }
    }

    @Test
    void theKeyIsStableAcrossVersions() {
        // The first 8 bytes of SHA-256("runsweep:flow-runs"), computed apart (Python's hashlib): daemons of
        // every version must agree on it.
        assertEquals(0x592780f3381c2a84L, PostgresDialect.lockKey("flow-runs"));
    }

    @Test
    void sqliteNeedsNoLockBetweenDaemons() throws Exception {
        try (Database db = Databases.open(
                        DatabaseUrl.ofSqliteFile(dir.resolve("t.db")),
                        TestDatabases.options().withCreateIfMissing(true));
                Connection first = db.connection();
                Connection second = db.connection()) {
            assertEquals(Optional.of(JobLock.NONE), db.dialect().tryLock(first, "logs"));
            assertEquals(Optional.of(JobLock.NONE), db.dialect().tryLock(second, "logs"));
        }
    }

    /** Advisory locks granted for the job, seen from any session, by the key split as pg_locks shows it. */
    private static long advisoryLocks(Connection c, String job) throws Exception {
        long key = PostgresDialect.lockKey(job);
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND classid = ? AND objid = ? AND objsubid = 1")) {
            s.setLong(1, key >>> 32);
            s.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
