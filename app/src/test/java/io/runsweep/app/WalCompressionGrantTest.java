package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runsweep.jobs.PrefectHistory;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.SystemPostgres;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runsweep check} notes a role that may not set wal_compression where the server writes full-page images
 * whole and has lz4, with the grant; applied, the note goes, and the role's sweep runs. The embedded binaries are
 * built without lz4, so this runs on the system's PostgreSQL 15 (Debian's, built with it), and skips, saying so,
 * without it.
 */
class WalCompressionGrantTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String NOTE = "\nbatches\n  note     role sweeper may not set wal_compression, so the batches"
            + " write the full-page images in their WAL whole, as the server does (wal_compression = off), where"
            + " runsweep.batch.compress-wal = true would have them compressed with lz4: a purge then writes about a"
            + " third as much WAL, and slows the server's commits less\n"
            + "           fix: GRANT SET ON PARAMETER wal_compression TO sweeper;\n";

    @TempDir
    Path dir;

    @Test
    void checkNotesTheGrantThatLetsTheBatchesCompressTheirWalAndTheGrantClearsIt() throws Exception {
        Optional<String> missing = SystemPostgres.missing();
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElse("") + "; .ci/run installs it");
        try (SystemPostgres server = SystemPostgres.start()) {
            String url = server.jdbcUrl("postgres");
            try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
                PrefectHistory.seed(db, 500, 120, CLOCK.instant());
                execute(db, "CREATE ROLE sweeper LOGIN");
                execute(db, "GRANT SELECT, DELETE ON ALL TABLES IN SCHEMA public TO sweeper");
            }
            Path config = Files.writeString(
                    dir.resolve("runsweep.conf"),
                    "runsweep { preset = prefect, database.url = \"" + server.jdbcUrl("postgres", "sweeper")
                            + "\" }\n");

            Cli before = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());
            assertEquals(0, before.exitCode(), before.out() + before.err());
            assertTrue(before.out().contains(NOTE), before.out());
            assertTrue(before.out().endsWith("\n0 errors, 0 warnings, 5 notes\n"), before.out());

            try (Database db = Databases.open(DatabaseUrl.parse(url), TestDatabases.options())) {
                execute(db, "GRANT SET ON PARAMETER wal_compression TO sweeper");
            }
            Cli after = Cli.run(Map.of(), CLOCK, "check", "--config", config.toString());
            assertEquals(0, after.exitCode(), after.out() + after.err());
            assertFalse(after.out().contains("wal_compression"), after.out());
            assertTrue(after.out().endsWith("\n0 errors, 0 warnings, 4 notes\n"), after.out());

            Cli sweep = Cli.run(Map.of(), CLOCK, "sweep", "--config", config.toString(), "--yes");
            assertEquals(0, sweep.exitCode(), sweep.out() + sweep.err());
            assertTrue(sweep.out().contains(", 0 failed ("), sweep.out());
        }
    }

    private static void execute(Database db, String statement) throws Exception {
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
