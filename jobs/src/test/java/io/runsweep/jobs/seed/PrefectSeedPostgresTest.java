package io.runsweep.jobs.seed;

import static io.runsweep.jobs.seed.SeedChecks.FOREIGN_KEYS;
import static io.runsweep.jobs.seed.SeedChecks.options;
import static io.runsweep.jobs.seed.SeedChecks.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefectSeedPostgresTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void createsTheSchemaTwiceWithPrefectsKeysEnumAndIndexes() throws SQLException {
        try (Connection c = freshDatabase()) {
            PrefectSchema.create(c, SchemaDialect.POSTGRESQL);
            PrefectSchema.create(c, SchemaDialect.POSTGRESQL);

            SeedChecks.assertEmptyTables(c);
            assertEquals(FOREIGN_KEYS, foreignKeys(c));
            assertEquals(
                    List.of(
                            "SCHEDULED",
                            "PENDING",
                            "RUNNING",
                            "COMPLETED",
                            "FAILED",
                            "CANCELLED",
                            "CRASHED",
                            "PAUSED",
                            "CANCELLING"),
                    strings(
                            c,
                            "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
                                    + " WHERE t.typname = 'state_type' ORDER BY e.enumsortorder"));
            assertEquals(
                    List.of(
                            "ix_event_resources__event_id",
                            "ix_event_resources__occurred",
                            "ix_event_resources__resource_id__occurred",
                            "pk_event_resources"),
                    strings(
                            c,
                            "SELECT indexname FROM pg_indexes WHERE tablename = 'event_resources' ORDER BY indexname"));
            List<String> logIndexes = new ArrayList<>(SeedChecks.LOG_INDEXES);
            logIndexes.add("pk_log");
            assertEquals(
                    logIndexes,
                    strings(c, "SELECT indexname FROM pg_indexes WHERE tablename = 'log' ORDER BY indexname"));
            assertTrue(c.getAutoCommit(), "auto-commit restored");
        }
    }

    @Test
    void seedsExactlyWhatItReportsAsARealisticHistory() throws SQLException {
        try (Connection c = freshDatabase()) {
            PrefectSchema.create(c, SchemaDialect.POSTGRESQL);

            SeedReport report = new PrefectSeeder(options(42)).seed(c, SchemaDialect.POSTGRESQL);

            SeedChecks.assertCountsMatch(c, report);
            SeedChecks.assertRealisticHistory(c, SchemaDialect.POSTGRESQL);
            assertTrue(c.getAutoCommit(), "auto-commit restored");
        }
    }

    @Test
    void writesTheSameRowsAsOnSqlite() throws SQLException {
        try (Connection pg = freshDatabase();
                Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("prefect.db"))) {
            PrefectSchema.create(pg, SchemaDialect.POSTGRESQL);
            PrefectSchema.create(sqlite, SchemaDialect.SQLITE);
            SeedReport onPostgres = new PrefectSeeder(options(42)).seed(pg, SchemaDialect.POSTGRESQL);
            SeedReport onSqlite = new PrefectSeeder(options(42)).seed(sqlite, SchemaDialect.SQLITE);

            assertEquals(onSqlite.rowsByTable(), onPostgres.rowsByTable());
            String logs = "SELECT id || ' ' || coalesce(flow_run_id || '', '-') || ' ' || %s FROM log ORDER BY id";
            assertSameLines(
                    strings(sqlite, String.format(logs, "\"timestamp\"")),
                    strings(
                            pg,
                            String.format(
                                    logs, "to_char(\"timestamp\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')")));
        }
    }

    /** Names the first difference instead of printing thousands of lines. */
    private static void assertSameLines(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "line " + i);
        }
        assertEquals(expected.size(), actual.size(), "lines");
    }

    private static Connection freshDatabase() throws SQLException {
        String name = "seed_" + DATABASES.incrementAndGet();
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.getDatabase("postgres", name, Map.of("reWriteBatchedInserts", "true"))
                .getConnection();
    }

    private static Set<String> foreignKeys(Connection c) throws SQLException {
        return new TreeSet<>(strings(
                c,
                "SELECT conrelid::regclass || '.' || a.attname || ' -> ' || confrelid::regclass"
                        + " || ' ON DELETE ' || CASE confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE confdeltype::text END"
                        + " FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]"
                        + " WHERE k.contype = 'f'"));
    }
}
