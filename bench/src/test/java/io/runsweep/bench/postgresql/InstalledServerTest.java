package io.runsweep.bench.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.testing.SystemPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --server-binaries}: a throwaway server from Debian's PostgreSQL 15, which is built with lz4, set up as the
 * embedded one is, and gone afterwards, even when the bench that started it was killed.
 */
class InstalledServerTest {
    private static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");

    @BeforeAll
    static void needsTheSystemsPostgres() {
        Assumptions.assumeTrue(
                SystemPostgres.missing().isEmpty(),
                () -> SystemPostgres.missing().orElseThrow());
    }

    @Test
    void runsAsTheEmbeddedServerDoesWithLz4AndLeavesNothingBehind() throws Exception {
        DatabaseUrl url;
        Path folder;
        try (InstalledServer server = InstalledServer.start(DEBIAN_15)) {
            url = server.url();
            folder = server.folder();
            try (Connection c = connect(url);
                    Statement s = c.createStatement()) {
                assertEquals("on", show(s, "fsync"));
                assertEquals("on", show(s, "synchronous_commit"));
                assertEquals("on", show(s, "full_page_writes"));
                // Debian's build reads the system's time zones, where UTC is Etc/UTC.
                assertEquals("Etc/UTC", show(s, "timezone"));
                assertEquals("300", show(s, "max_connections"));
                assertEquals("off", show(s, "wal_compression"));
                try (ResultSet rs = s.executeQuery(
                        "SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'wal_compression'")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1));
                }
            }
        }
        assertFalse(Files.exists(folder), folder + " is left");
        assertThrows(SQLException.class, () -> connect(url).close());
    }

    @Test
    void theServerOfABenchKilledBeforeItCouldStopItIsStoppedAndDeletedByTheNextStart() throws Exception {
        InstalledServer orphan = InstalledServer.start(DEBIAN_15);
        // As after kill -9: the folder names a process that is gone, and its server still runs.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(orphan.folder().resolve("bench.pid"), Long.toString(gone.pid()));
        connect(orphan.url()).close();

        try (InstalledServer next = InstalledServer.start(DEBIAN_15)) {
            assertFalse(Files.exists(orphan.folder()), orphan.folder() + " is left");
            assertThrows(SQLException.class, () -> connect(orphan.url()).close());
            connect(next.url()).close();
            // A folder whose bench still runs is not another's orphan.
            try (InstalledServer third = InstalledServer.start(DEBIAN_15)) {
                assertTrue(Files.exists(next.folder()));
                connect(next.url()).close();
                connect(third.url()).close();
            }
        }
    }

    @Test
    void findsThePackagedBinariesBuiltWithLz4AndNamesTheirVersion() throws Exception {
        Optional<InstalledServer.WithLz4> found = InstalledServer.findWithLz4();

        assertTrue(found.isPresent());
        assertTrue(found.get().bin().toString().matches("/usr/lib/postgresql/(1[5-9]|[2-9]\\d)/bin"), found.toString());
        assertTrue(found.get().version().matches("PostgreSQL \\d+\\.\\d+.*"), found.toString());
        assertEquals(Optional.empty(), InstalledServer.whyNot(found.get().bin()));
    }

    @Test
    void namesWhatIsMissingFromAFolderWithoutTheServersBinaries() {
        assertEquals(
                Optional.of("no initdb in /usr/lib/postgresql/15"),
                InstalledServer.whyNot(Path.of("/usr/lib/postgresql/15")));
        assertEquals(Optional.empty(), InstalledServer.withLz4(Path.of("/usr/lib/postgresql/15")));
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user().orElse(null), null);
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
