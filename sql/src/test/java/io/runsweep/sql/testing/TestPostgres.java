package io.runsweep.sql.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real PostgreSQL server per test JVM, and a fresh database per test so that tests never see each other's
 * rows. By default the embedded binaries of the major version the build chose ({@code -Ppg14} to {@code
 * -Ppg17}, 15 without a profile); with {@code -Drunsweep.test.postgres=docker}, the official image {@code
 * postgres:<major>} through Testcontainers, and every test that needs it skips, saying why, where no Docker
 * daemon answers.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Server server;
    // Asked once: each ask of a missing Docker daemon tries every way of reaching one.
    private static Boolean dockerAvailable;

    /** A running server: where its databases are, and a connection as its superuser. */
    private interface Server {
        String jdbcUrl(String database);

        Connection admin() throws SQLException;

        int port();
    }

    private TestPostgres() {}

    /** The major version the tests were asked to run on. */
    public static int major() {
        return Integer.getInteger("runsweep.test.postgres.major", 15);
    }

    /** True on the embedded binaries (a local server, whose data directory a test may read). */
    public static boolean embedded() {
        return !"docker".equals(System.getProperty("runsweep.test.postgres", "embedded"));
    }

    /** The JDBC URL of {@code database} on the server, as its superuser. */
    public static String jdbcUrl(String database) {
        return server().jdbcUrl(database);
    }

    /** A connection to the server's postgres database, as its superuser. */
    public static Connection admin() throws SQLException {
        return server().admin();
    }

    public static int port() {
        return server().port();
    }

    /** Creates an empty database and returns its JDBC URL (user postgres). */
    public static String newDatabase() {
        String name = "test_" + DATABASES.incrementAndGet();
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return jdbcUrl(name);
    }

    /**
     * Begins a REPEATABLE READ transaction on {@code session} and takes its snapshot, as a dashboard's long report
     * does: VACUUM can remove no row deleted after it until the transaction ends. Returns the session's pid.
     */
    public static long holdSnapshot(Statement session) throws SQLException {
        session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
        try (ResultSet rs = session.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * How many of Runsweep's sessions in the current database wait for a lock. Ask on a session outside any
     * transaction: in one, pg_stat_activity answers from the snapshot its first read took.
     */
    public static long runsweepSessionsWaitingForALock(Statement session) throws SQLException {
        try (ResultSet rs = session.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                + " 'runsweep' AND datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static synchronized Server server() {
        if (server == null) {
            server = embedded() ? startEmbedded() : startContainer();
        }
        return server;
    }

    private static Server startEmbedded() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // the JVM is exiting; the server's files are in a temporary folder
            }
        }));
        return new Server() {
            @Override
            public String jdbcUrl(String database) {
                return postgres.getJdbcUrl("postgres", database);
            }

            @Override
            public Connection admin() throws SQLException {
                return postgres.getPostgresDatabase().getConnection();
            }

            @Override
            public int port() {
                return postgres.getPort();
            }
        };
    }

    private static Server startContainer() {
        String image = "postgres:" + major();
        if (dockerAvailable == null) {
            dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
        }
        if (!dockerAvailable) {
            throw new TestAbortedException("Docker is not available here, so the official image " + image
                    + " cannot run: skipped. Without -Drunsweep.test.postgres=docker the tests use the embedded"
                    + " binaries.");
        }
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(image))
                .withUsername("postgres")
                .withPassword("postgres")
                .withCommand("postgres", "-c", "max_connections=200", "-c", "fsync=off");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new Server() {
            @Override
            public String jdbcUrl(String database) {
                return "jdbc:postgresql://" + container.getHost() + ":" + port() + "/" + database
                        + "?user=postgres&password=postgres";
            }

            @Override
            public Connection admin() throws SQLException {
                return DriverManager.getConnection(jdbcUrl("postgres"));
            }

            @Override
            public int port() {
                return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
            }
        };
    }
}
