package io.runsweep.sql.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.DatabaseOpenException;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.testing.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

class PoolsTest {

    private static HikariDataSource open(DatabaseUrl url, ConnectionOptions options) {
        return Databases.open(url, options).pool();
    }

    private static String query(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static void execute(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String causeChain(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t).append('\n');
        }
        return out.toString();
    }

    @Nested
    class Sqlite {
        @TempDir
        Path dir;

        private DatabaseUrl createDatabase(String name) throws SQLException {
            DatabaseUrl url = DatabaseUrl.ofSqliteFile(dir.resolve(name));
            try (HikariDataSource pool = open(url, TestDatabases.options().withCreateIfMissing(true))) {
                execute(pool, "CREATE TABLE parent (id INTEGER PRIMARY KEY)");
                execute(
                        pool,
                        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE)");
                execute(pool, "INSERT INTO parent VALUES (1)");
                execute(pool, "INSERT INTO child VALUES (10, 1)");
            }
            return url;
        }

        @Test
        void connectionsAreSetUpAsPrefectSetsUpItsOwn() throws SQLException {
            DatabaseUrl url = createDatabase("prefect.db");
            ConnectionOptions options =
                    TestDatabases.options().withPoolSize(2).withBusyTimeout(Duration.ofMillis(4321));
            try (HikariDataSource pool = open(url, options)) {
                assertEquals("wal", query(pool, "PRAGMA journal_mode"));
                assertEquals("1", query(pool, "PRAGMA foreign_keys"));
                assertEquals("4321", query(pool, "PRAGMA busy_timeout"));
                assertEquals("1", query(pool, "PRAGMA synchronous")); // NORMAL
                assertEquals("0", query(pool, "PRAGMA temp_store")); // SQLite's default: a file beyond 2 MiB
                execute(pool, "DELETE FROM parent WHERE id = 1");
                assertEquals("0", query(pool, "SELECT count(*) FROM child")); // cascaded
            }
        }

        /**
         * About 11,000 pages changed in one transaction, as a purge batch on a large Prefect log changes them (the
         * rows in order, their index entries at random): none is written to the log before the commit. With the
         * 32 MiB cache used before, SQLite wrote changed pages to the log as it went to make room, and every row
         * after that cost about three times as much.
         */
        @Test
        void aLargeBatchsChangedPagesStayInTheCacheUntilItsCommit() throws Exception {
            Path file = dir.resolve("pages.db");
            DatabaseUrl url = DatabaseUrl.ofSqliteFile(file);
            try (HikariDataSource pool = open(
                            url,
                            TestDatabases.options().withCreateIfMissing(true).withPoolSize(1));
                    Connection c = pool.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, k TEXT NOT NULL)");
                s.execute("CREATE INDEX ix_log_k ON log (k)");
                // 160,000 rows with random 150-character keys: about 6,700 pages of table and as many of index.
                s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 160000)"
                        + " INSERT INTO log SELECT i, substr(hex(randomblob(80)), 1, 150) FROM n");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                assertEquals(0, Files.size(Path.of(file + "-wal")));

                c.setAutoCommit(false);
                assertEquals(100_000, s.executeUpdate("DELETE FROM log WHERE id <= 100000"));
                long walBeforeCommit = Files.size(Path.of(file + "-wal"));
                c.commit();
                long walAfterCommit = Files.size(Path.of(file + "-wal"));

                assertEquals(0, walBeforeCommit, "pages written to the log before the commit");
                assertTrue(walAfterCommit > (40L << 20), walAfterCommit + " bytes of log: the test changes 40 MiB");
                try (ResultSet rs = s.executeQuery("PRAGMA cache_size")) {
                    assertTrue(rs.next());
                    assertEquals(-65_536, rs.getInt(1));
                }
            }
        }

        @Test
        void aWriteTransactionTakesTheWriteLockAtBegin() throws SQLException {
            DatabaseUrl url = createDatabase("locks.db");
            ConnectionOptions options = TestDatabases.options().withPoolSize(2).withBusyTimeout(Duration.ofMillis(300));
            try (HikariDataSource pool = open(url, options);
                    Connection first = pool.getConnection();
                    Connection second = pool.getConnection()) {
                first.setAutoCommit(false);
                first.createStatement()
                        .executeQuery("SELECT count(*) FROM parent")
                        .close();
                long start = System.nanoTime();
                SQLException e = assertThrows(SQLException.class, () -> {
                    second.setAutoCommit(false);
                    second.createStatement()
                            .executeQuery("SELECT count(*) FROM parent")
                            .close();
                });
                long waitedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(e.getMessage().contains("SQLITE_BUSY"), e.getMessage());
                assertTrue(waitedMillis >= 250, "waited only " + waitedMillis + " ms for the lock");
                first.rollback();
            }
        }

        @Test
        void aReadOnlyPoolReadsButCannotWrite() throws SQLException {
            DatabaseUrl url = createDatabase("ro.db");
            try (HikariDataSource pool = open(url, TestDatabases.options().withReadOnly(true))) {
                assertEquals("1", query(pool, "SELECT count(*) FROM parent"));
                assertEquals("1", query(pool, "PRAGMA foreign_keys"));
                assertEquals("wal", query(pool, "PRAGMA journal_mode")); // as the file has it, not set by us
                assertEquals("2", query(pool, "PRAGMA temp_store")); // a dry run's IN lists in memory
                SQLException e = assertThrows(SQLException.class, () -> execute(pool, "INSERT INTO parent VALUES (2)"));
                assertTrue(e.getMessage().toLowerCase().contains("readonly"), e.getMessage());
                SQLException d = assertThrows(SQLException.class, () -> execute(pool, "DELETE FROM parent"));
                assertTrue(d.getMessage().toLowerCase().contains("readonly"), d.getMessage());
            }
        }

        @Test
        void aMissingFileFailsClearlyAndIsNotCreated() {
            Path missing = dir.resolve("nope").resolve("prefect.db");
            Path alsoMissing = dir.resolve("absent.db");
            for (DatabaseUrl url :
                    new DatabaseUrl[] {DatabaseUrl.ofSqliteFile(missing), DatabaseUrl.ofSqliteFile(alsoMissing)}) {
                for (boolean readOnly : new boolean[] {false, true}) {
                    DatabaseOpenException e = assertThrows(
                            DatabaseOpenException.class,
                            () -> open(url, TestDatabases.options().withReadOnly(readOnly)));
                    Path file = url.sqliteFile().orElseThrow();
                    assertTrue(
                            e.getMessage().startsWith("SQLite database file not found: " + file.toAbsolutePath()),
                            e.getMessage());
                    assertFalse(Files.exists(file), file + " was created");
                }
            }
        }

        @Test
        void createIfMissingCreatesTheFile() throws SQLException {
            Path file = dir.resolve("new.db");
            try (HikariDataSource pool =
                    open(DatabaseUrl.ofSqliteFile(file), TestDatabases.options().withCreateIfMissing(true))) {
                assertEquals("wal", query(pool, "PRAGMA journal_mode"));
            }
            assertTrue(Files.exists(file));
        }

        @Test
        void aFileThatIsNotADatabaseFailsAtOpen() throws Exception {
            Path file =
                    Files.writeString(dir.resolve("notes.db"), "this is not a database, just some text ".repeat(50));
            DatabaseOpenException e = assertThrows(
                    DatabaseOpenException.class, () -> open(DatabaseUrl.ofSqliteFile(file), TestDatabases.options()));
            assertTrue(e.getMessage().startsWith("Cannot open database jdbc:sqlite:" + file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("SQLITE_NOTADB"), e.getMessage());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Postgres {
        private static final String PASSWORD = "S3cret:pw/@x";
        private EmbeddedPostgres pg;

        @BeforeAll
        void start() throws Exception {
            pg = EmbeddedPostgres.start();
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE ROLE sweeper LOGIN PASSWORD '" + PASSWORD + "'");
                s.execute("CREATE TABLE t (id int)");
                s.execute("GRANT SELECT, INSERT ON t TO sweeper");
                // The embedded server trusts everyone; make it check passwords for every role but its own.
                ResultSet rs = s.executeQuery("SHOW hba_file");
                rs.next();
                Files.writeString(
                        Path.of(rs.getString(1)),
                        String.join(
                                "\n",
                                "local all all trust",
                                "host all postgres 127.0.0.1/32 trust",
                                "host all postgres ::1/128 trust",
                                "host all all 127.0.0.1/32 scram-sha-256",
                                "host all all ::1/128 scram-sha-256",
                                ""));
                s.execute("SELECT pg_reload_conf()");
            }
        }

        @AfterAll
        void stop() throws Exception {
            pg.close();
        }

        private DatabaseUrl url(String password) {
            String encoded = java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
            return DatabaseUrl.parse(
                    "postgresql+asyncpg://sweeper:" + encoded + "@localhost:" + pg.getPort() + "/postgres");
        }

        @Test
        void aReadOnlyPoolCannotInsertEvenInAutocommit() throws SQLException {
            try (HikariDataSource pool =
                    open(url(PASSWORD), TestDatabases.options().withReadOnly(true))) {
                assertEquals("on", query(pool, "SHOW default_transaction_read_only"));
                SQLException e = assertThrows(SQLException.class, () -> execute(pool, "INSERT INTO t VALUES (1)"));
                assertEquals("25006", e.getSQLState(), e.getMessage());
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    SQLException inTx = assertThrows(
                            SQLException.class, () -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
                    assertEquals("25006", inTx.getSQLState(), inTx.getMessage());
                    c.rollback();
                }
            }
        }

        @Test
        void aReadWritePoolWritesAndNamesItself() throws SQLException {
            try (HikariDataSource pool = open(url(PASSWORD), TestDatabases.options())) {
                execute(pool, "INSERT INTO t VALUES (2)");
                assertEquals("off", query(pool, "SHOW default_transaction_read_only"));
                assertEquals("runsweep", query(pool, "SHOW application_name"));
                assertEquals("off", query(pool, "SHOW jit"));
            }
        }

        @Test
        void statementTimeoutIsApplied() throws SQLException {
            ConnectionOptions options = TestDatabases.options().withStatementTimeout(Duration.ofMillis(1500));
            try (HikariDataSource pool = open(url(PASSWORD), options)) {
                assertEquals("1500ms", query(pool, "SHOW statement_timeout"));
                SQLException e = assertThrows(SQLException.class, () -> query(pool, "SELECT pg_sleep(5)"));
                assertEquals("57014", e.getSQLState(), e.getMessage()); // query_canceled
            }
            try (HikariDataSource pool = open(url(PASSWORD), TestDatabases.options())) {
                assertEquals("0", query(pool, "SHOW statement_timeout"));
            }
        }

        /**
         * Every session gives up behind a lock after lock_timeout, whatever it runs, and the server ends a
         * session that sits in a transaction longer than idle_in_transaction_session_timeout (as a paused
         * Runsweep would), freeing its row locks for the application.
         */
        @Test
        void lockAndIdleInTransactionTimeoutsHoldForTheWholeSession() throws Exception {
            ConnectionOptions options = TestDatabases.options()
                    .withLockTimeout(Duration.ofMillis(300))
                    .withIdleInTransactionTimeout(Duration.ofMillis(500));
            DatabaseUrl owner = DatabaseUrl.parse(pg.getJdbcUrl("postgres", "postgres"));
            try (HikariDataSource pool = open(owner, options);
                    HikariDataSource other = open(owner, TestDatabases.options())) {
                assertEquals("300ms", query(pool, "SHOW lock_timeout"));
                assertEquals("500ms", query(pool, "SHOW idle_in_transaction_session_timeout"));
                try (Connection paused = pool.getConnection();
                        Statement s = paused.createStatement()) {
                    paused.setAutoCommit(false);
                    s.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
                    SQLException blocked =
                            assertThrows(SQLException.class, () -> query(pool, "SELECT count(*) FROM t"));
                    assertEquals("55P03", blocked.getSQLState(), blocked.getMessage()); // lock_not_available
                    Thread.sleep(1500);
                    assertEquals("0", query(other, "SELECT count(*) FROM t WHERE false"), "the lock went with it");
                    SQLException ended = assertThrows(SQLException.class, () -> s.execute("SELECT 1"));
                    assertTrue(
                            ended.getSQLState().equals("25P03")
                                    || ended.getSQLState().startsWith("08"),
                            ended.getSQLState() + ": " + ended.getMessage());
                }
            }
            try (HikariDataSource pool = open(owner, TestDatabases.options())) {
                assertEquals("0", query(pool, "SHOW lock_timeout"), "no option leaves the server's setting");
            }
        }

        @Test
        void aWrongPasswordFailsAtOpenWithoutShowingIt() {
            String wrong = "Wr0ng:Pa55/word";
            DatabaseOpenException e =
                    assertThrows(DatabaseOpenException.class, () -> open(url(wrong), TestDatabases.options()));
            String expectedUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=sweeper&password=****";
            assertTrue(e.getMessage().startsWith("Cannot open database " + expectedUrl + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("password authentication failed for user \"sweeper\""), e.getMessage());
            assertTrue(e.getMessage().endsWith("(SQL state 28P01)"), e.getMessage());
            assertFalse(causeChain(e).contains("Pa55"), causeChain(e));
        }

        @Test
        void anUnreachableServerFailsFast() {
            DatabaseUrl url = DatabaseUrl.parse("postgresql://sweeper:Hidden7@127.0.0.1:1/postgres");
            long start = System.nanoTime();
            DatabaseOpenException e = assertThrows(
                    DatabaseOpenException.class,
                    () -> open(url, TestDatabases.options().withConnectTimeout(Duration.ofSeconds(2))));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
            assertTrue(
                    e.getMessage().startsWith("Cannot open database jdbc:postgresql://127.0.0.1:1/postgres?"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
            assertFalse(causeChain(e).contains("Hidden7"), causeChain(e));
        }

        @Test
        void explicitCredentialsReplaceTheUrls() throws SQLException {
            DatabaseUrl url = url("not-it").withCredentials(Optional.empty(), Optional.of(PASSWORD));
            try (HikariDataSource pool = open(url, TestDatabases.options())) {
                assertEquals("sweeper", query(pool, "SELECT current_user"));
            }
        }
    }
}
