package io.runsweep.sql.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseOpenException;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runsweep refuses a database reached through a connection pooler that shares server sessions, before its pool sets
 * anything on one: a real PgBouncer in front of the test server, in each of its pool modes. Skipped, saying so, where
 * PgBouncer is not installed.
 */
class SessionPoolingTest {
    private static final String POOLER = "a connection pooler in transaction or statement mode stands in between";

    @TempDir
    Path dir;

    @Test
    void directConnectionsEachKeepTheirOwnSession() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection a = DriverManager.getConnection(url);
                Connection b = DriverManager.getConnection(url)) {
            assertEquals(Optional.empty(), SessionPooling.shared(a, b));
        }
    }

    @Test
    void transactionPoolingIsRefusedAndNothingIsLeftSetOnTheServersSessions() throws Exception {
        String database = database();
        try (PgBouncer pooler = PgBouncer.start(dir, database, "pool_mode = transaction")) {
            DatabaseOpenException refused = assertThrows(
                    DatabaseOpenException.class,
                    () -> Databases.open(pooler.url(), TestDatabases.options().withReadOnly(true)));

            assertTrue(
                    refused.getMessage()
                            .matches("Cannot open database "
                                    + java.util.regex.Pattern.quote(pooler.url().redacted())
                                    + ": (a connection was moved from one server session \\(backend pid\\) to"
                                    + " another between its transactions|two connections were given the same server"
                                    + " session \\(backend pid\\)): " + POOLER
                                    + " \\(PgBouncer's pool_mode = transaction, Supavisor's port 6543\\)\\. .*"
                                    + "Connect to the server directly, or through a pool in session mode \\(PgBouncer:"
                                    + " pool_mode = session on Runsweep's database entry\\)"),
                    refused.getMessage());
            // The read-only guard a dry run's pool sets was never set on a session the application gets next.
            try (Connection application = DriverManager.getConnection(pooler.jdbcUrl());
                    Statement s = application.createStatement()) {
                for (int i = 0; i < 4; i++) {
                    s.execute("CREATE TABLE IF NOT EXISTS app_run (id int)");
                    s.execute("INSERT INTO app_run VALUES (" + i + ")");
                }
                assertEquals(4, count(s, "SELECT count(*) FROM app_run"));
            }
        }
    }

    @Test
    void transactionPoolingHandingOutSessionsInTurnIsRefusedToo() throws Exception {
        String database = database();
        try (PgBouncer pooler = PgBouncer.start(dir, database, "pool_mode = transaction", "server_round_robin = 1")) {
            DatabaseOpenException refused = assertThrows(
                    DatabaseOpenException.class, () -> Databases.open(pooler.url(), TestDatabases.options()));

            assertTrue(refused.getMessage().contains(POOLER), refused.getMessage());
        }
    }

    @Test
    void statementPoolingIsRefusedWithThePoolersOwnWords() throws Exception {
        String database = database();
        try (PgBouncer pooler = PgBouncer.start(dir, database, "pool_mode = statement")) {
            DatabaseOpenException refused = assertThrows(
                    DatabaseOpenException.class, () -> Databases.open(pooler.url(), TestDatabases.options()));

            assertTrue(
                    refused.getMessage()
                            .startsWith("Cannot open database " + pooler.url().redacted()
                                    + ": FATAL: transaction blocks not allowed in statement pooling mode"),
                    refused.getMessage());
        }
    }

    @Test
    void sessionPoolingOpens() throws Exception {
        String database = database();
        try (PgBouncer pooler = PgBouncer.start(dir, database, "pool_mode = session");
                Database opened = Databases.open(pooler.url(), TestDatabases.options());
                Connection c = opened.connection();
                Statement s = c.createStatement()) {
            assertEquals(42, count(s, "SELECT 42"));
        }
    }

    @Test
    void aRoleLimitedToOneConnectionStillOpensWithAPoolOfOne() throws Exception {
        String url = TestPostgres.newDatabase();
        String role = "one_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(url);
                Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 1");
        }
        DatabaseUrl limited = DatabaseUrl.parse(url.replace("user=postgres", "user=" + role));
        try (Database opened = Databases.open(limited, TestDatabases.options().withPoolSize(1));
                Connection c = opened.connection();
                Statement s = c.createStatement()) {
            assertEquals(42, count(s, "SELECT 42"));
        }
    }

    /** A new database on the test server, by name. */
    private static String database() {
        String url = TestPostgres.newDatabase();
        return url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
    }

    private static long count(Statement s, String query) throws Exception {
        try (ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A PgBouncer in front of the test server, for one database, run as nobody when the tests run as root. */
    private static final class PgBouncer implements AutoCloseable {
        private final Process process;
        private final int port;
        private final String database;

        private PgBouncer(Process process, int port, String database) {
            this.process = process;
            this.port = port;
            this.database = database;
        }

        static PgBouncer start(Path dir, String database, String... settings) throws Exception {
            Path binary = Stream.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")
                    .map(Path::of)
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElse(null);
            Assumptions.assumeTrue(
                    binary != null, "PgBouncer is not installed here (apt-get install pgbouncer): skipped");
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            List<String> ini = new ArrayList<>(List.of(
                    "[databases]",
                    database + " = host=localhost port=" + TestPostgres.port() + " dbname=" + database
                            + " user=postgres",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = any",
                    "ignore_startup_parameters = extra_float_digits"));
            ini.addAll(List.of(settings));
            // PgBouncer refuses to run as root; the user it runs as must read its folder.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path config = Files.write(dir.resolve("pgbouncer.ini"), ini);
            List<String> command = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
            }
            command.addAll(List.of(binary.toString(), config.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pgbouncer.log").toFile())
                    .start();
            PgBouncer started = new PgBouncer(process, port, database);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!started.listening()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    started.close();
                    fail("PgBouncer did not start: " + Files.readString(dir.resolve("pgbouncer.log")));
                }
                Thread.sleep(50);
            }
            return started;
        }

        String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
        }

        DatabaseUrl url() {
            return DatabaseUrl.parse(jdbcUrl());
        }

        private boolean listening() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
