package io.runsweep.sql.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runsweep.sql.Queries;
import io.runsweep.sql.testing.SystemPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batches' sessions write their full-page images compressed with lz4 where the server writes them whole, has lz4
 * and lets the role set it, and go back to the pool as they came. The embedded binaries are built without lz4, so
 * this runs on the system's PostgreSQL 15 (Debian's, built with it), and skips, saying so, without it.
 */
class PostgresBatchPacingTest {
    private static SystemPostgres server;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> missing = SystemPostgres.missing();
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElse("") + "; .ci/run installs it");
        server = SystemPostgres.start();
        try (Connection c = superuser();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE sweeper LOGIN");
            s.execute("CREATE ROLE granted LOGIN");
            s.execute("GRANT SET ON PARAMETER wal_compression TO granted");
            s.execute("CREATE DATABASE pglz");
            s.execute("ALTER DATABASE pglz SET wal_compression = pglz");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSuperusersBatchesCompressTheirWalAndTheSessionGoesBackAsItCame() throws Exception {
        try (Connection c = superuser()) {
            assertEquals(Optional.empty(), WalCompression.read(c).whyNot());
            assertEquals(List.of("lz4", "lz4", "off"), duringTwoBatchesAndAfter(c, true));
        }
    }

    @Test
    void aNewSessionAfterALostOneCompressesToo() throws Exception {
        PostgresBatchPacing pacing = new PostgresBatchPacing(true);
        try (Connection first = superuser();
                Connection second = superuser()) {
            pacing.beforeBatch(first);
            pacing.beforeBatch(second);

            assertEquals("lz4", walCompression(second));
            pacing.finish(second);
            assertEquals("off", walCompression(second));
        }
    }

    @Test
    void compressWalFalseLeavesTheServersSetting() throws Exception {
        try (Connection c = superuser()) {
            assertEquals(List.of("off", "off", "off"), duringTwoBatchesAndAfter(c, false));
        }
    }

    @Test
    void aRoleThatMayNotSetItWritesTheWalAsTheServerDoes() throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres", "sweeper"))) {
            assertEquals(
                    Optional.of("the role may not set wal_compression (a superuser may, or a role granted SET ON"
                            + " PARAMETER wal_compression)"),
                    WalCompression.read(c).whyNot());
            assertEquals(List.of("off", "off", "off"), duringTwoBatchesAndAfter(c, true));
        }
    }

    @Test
    void aRoleGrantedSetOnTheParameterCompresses() throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres", "granted"))) {
            assertEquals(Optional.empty(), WalCompression.read(c).whyNot());
            assertEquals(List.of("lz4", "lz4", "off"), duringTwoBatchesAndAfter(c, true));
        }
    }

    @Test
    void aServerThatCompressesAlreadyIsLeftAsItIs() throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("pglz"))) {
            assertEquals(
                    Optional.of("the server's wal_compression is pglz"),
                    WalCompression.read(c).whyNot());
            assertEquals(List.of("pglz", "pglz", "pglz"), duringTwoBatchesAndAfter(c, true));
        }
    }

    /** The session's wal_compression in each of two batches of a run, and after the run. */
    private static List<String> duringTwoBatchesAndAfter(Connection c, boolean compressWal) throws Exception {
        PostgresBatchPacing pacing = new PostgresBatchPacing(compressWal);
        List<String> seen = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
            pacing.beforeBatch(c);
            seen.add(walCompression(c));
            pacing.afterBatch(c, Duration.ofMillis(200));
        }
        pacing.finish(c);
        seen.add(walCompression(c));
        return seen;
    }

    private static Connection superuser() throws Exception {
        return DriverManager.getConnection(server.jdbcUrl("postgres"));
    }

    private static String walCompression(Connection c) throws Exception {
        return Queries.single(c, "SHOW wal_compression");
    }
}
