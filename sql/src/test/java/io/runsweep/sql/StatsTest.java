package io.runsweep.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.postgresql.PostgresVacuum;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the checks read, on a real SQLite file and a real PostgreSQL, against what the database says itself. */
class StatsTest {
    @TempDir
    Path dir;

    /** 100 runs: run i finished i days before 2026-05-01, status i % 3; every tenth never finished. */
    private static Table runs(Connection c, Database db) throws Exception {
        boolean sqlite = db.dialect().kind() == DatabaseKind.SQLITE;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE run (id INTEGER PRIMARY KEY, finished " + (sqlite ? "DATETIME" : "timestamptz")
                    + ", created " + (sqlite ? "DATETIME" : "timestamptz")
                    + " NOT NULL, status INTEGER NOT NULL, body TEXT)");
            s.execute("CREATE INDEX ix_run_finished ON run (finished)");
            if (!sqlite) {
                s.execute("ALTER TABLE run SET (autovacuum_enabled = false)");
            }
            for (int i = 1; i <= 100; i++) {
                String finished = i % 10 == 0
                        ? "NULL"
                        : time(sqlite, Instant.parse("2026-05-01T00:00:00Z").minusSeconds(i * 86400L));
                String created =
                        time(sqlite, Instant.parse("2026-01-01T00:00:00Z").minusSeconds(i * 3600L));
                s.execute(
                        "INSERT INTO run VALUES (" + i + ", " + finished + ", " + created + ", " + (i % 3) + ", 'x')");
            }
        }
        return db.dialect().describe(c, TableName.of("run")).orElseThrow();
    }

    private static String time(boolean sqlite, Instant t) {
        String text = t.toString().replace('T', ' ').replace("Z", "");
        return sqlite ? "'" + text + ".000000'" : "'" + text + "+00'";
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void tableIndexesAndToastAddUpToTheDatabasesOwnTotal(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir);
                Connection c = db.connection()) {
            Table run = runs(c, db);
            try (Statement s = c.createStatement()) {
                // Incompressible text well above the 2 kB TOAST threshold: stored out of line on PostgreSQL.
                s.execute(
                        kind == DatabaseKind.POSTGRESQL
                                ? "UPDATE run SET body = (SELECT string_agg(md5(random()::text || g), '') FROM generate_series(1, 400) g)"
                                        + " WHERE id <= 10"
                                : "UPDATE run SET body = hex(randomblob(6000)) WHERE id <= 10");
            }
            Stats stats = db.stats();

            TableStats bytes = stats.table(c, run.name(), false);

            assertTrue(bytes.tableBytes() > 0, bytes.toString());
            assertTrue(bytes.indexBytes() > 0, bytes.toString());
            assertEquals(bytes.totalBytes(), bytes.tableBytes() + bytes.indexBytes() + bytes.toastBytes());
            assertEquals(db.dialect().totalBytes(c, run), bytes.totalBytes());
            if (kind == DatabaseKind.POSTGRESQL) {
                assertTrue(bytes.toastBytes() > 0, "the long values are TOASTed: " + bytes);
            } else {
                assertEquals(0, bytes.toastBytes());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void rowsOfASmallTableAreCountedSoTheyFollowADeleteAfterAnalyze(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir);
                Connection c = db.connection()) {
            Table run = runs(c, db);
            Stats stats = db.stats();
            TableStats never = stats.table(c, run.name(), false);
            assertEquals(OptionalLong.of(100), never.rows(), "never analyzed: counted");
            assertTrue(never.rowsExact());

            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE run");
                s.execute("DELETE FROM run WHERE id > 95");
            }

            TableStats analyzed = stats.table(c, run.name(), false);
            assertEquals(OptionalLong.of(95), analyzed.rows(), "the catalog still says 100");
            assertTrue(analyzed.rowsExact());
        }
    }

    @Test
    void aLargePostgresTableShowsTheStatisticsRunningEstimateWhichFollowsDeletes() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir);
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE big (id bigint PRIMARY KEY, body text)");
            s.execute("INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 250000) g");
            new PostgresVacuum().flushStatistics(c);
            s.execute("ANALYZE big");
            s.execute("DELETE FROM big WHERE id <= 100000");
            new PostgresVacuum().flushStatistics(c);

            TableStats big = db.stats().table(c, TableName.of("big"), false);

            assertEquals(OptionalLong.of(150_000), big.rows(), "the catalog's reltuples still says 250,000");
            assertFalse(big.rowsExact());
            assertEquals(
                    OptionalLong.of(150_000),
                    db.stats().table(c, TableName.of("big"), true).rows());
        }
    }

    @Test
    void deadRowsAreCountedUntilVacuumRemovesThem() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir);
                Connection c = db.connection()) {
            Table run = runs(c, db);
            Stats stats = db.stats();
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM run WHERE id <= 30");
                new PostgresVacuum().flushStatistics(c);
            }

            TableStats.Upkeep before =
                    stats.table(c, run.name(), false).upkeep().orElseThrow();
            assertEquals(List.of(70L, 30L), List.of(before.liveRows(), before.deadRows()));
            assertEquals(0.3, before.deadFraction(), 1e-12);
            assertEquals(Optional.empty(), before.lastVacuumed());
            assertEquals(Optional.empty(), before.lastAnalyze());

            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE run");
                new PostgresVacuum().flushStatistics(c);
            }

            TableStats.Upkeep after = stats.table(c, run.name(), false).upkeep().orElseThrow();
            assertEquals(List.of(70L, 0L), List.of(after.liveRows(), after.deadRows()));
            assertTrue(after.lastVacuum().isPresent() && after.lastAnalyze().isPresent(), after.toString());
            assertEquals(after.lastVacuum(), after.lastVacuumed());
            assertEquals(Optional.empty(), after.lastAutovacuum());
        }
    }

    @Test
    void sqliteHasNoUpkeepStatisticsAndPostgresNoFile() throws Exception {
        try (Database sqlite = TestDatabases.open(DatabaseKind.SQLITE, dir);
                Connection c = sqlite.connection()) {
            assertEquals(
                    Optional.empty(),
                    sqlite.stats().table(c, runs(c, sqlite).name(), false).upkeep());
        }
        try (Database postgres = TestDatabases.open(DatabaseKind.POSTGRESQL, dir);
                Connection c = postgres.connection()) {
            assertEquals(Optional.empty(), postgres.stats().file(c, dir.resolve("prefect.db")));
        }
    }

    @Test
    void sqlitePagesMatchTheFileAndDeletesLeaveFreePages() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.SQLITE, dir);
                Connection c = db.connection()) {
            runs(c, db);
            Stats stats = db.stats();
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE run SET body = hex(randomblob(3000))");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            FileStats full = stats.file(c, dir.resolve("prefect.db")).orElseThrow();
            assertEquals(0, full.freePages());
            assertEquals(Files.size(dir.resolve("prefect.db")), full.pageSize() * full.pageCount());

            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM run WHERE id > 10");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }

            FileStats emptied = stats.file(c, dir.resolve("prefect.db")).orElseThrow();
            assertEquals(full.pageCount(), emptied.pageCount(), "SQLite never shrinks the file by itself");
            assertTrue(emptied.freePages() > 100, emptied.toString());
            assertEquals(Files.size(dir.resolve("prefect.db")), emptied.pageSize() * emptied.pageCount());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void oldestIsTheEarliestTimeAmongTheMatchingRowsWithTheFallbackWhereTimeIsNull(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir);
                Connection c = db.connection()) {
            Table run = runs(c, db);
            Dialect dialect = db.dialect();
            Column finished = run.column("finished").orElseThrow();
            Column created = run.column("created").orElseThrow();
            Column status = run.column("status").orElseThrow();
            Instant farFuture = Instant.parse("9999-01-01T00:00:00Z");
            Predicate.Older anyFinished = dialect.older(c, run, finished, farFuture);
            Predicate.Older anyCreated = dialect.older(c, run, created, farFuture);
            Stats stats = db.stats();

            // Status 1: runs 1, 4, ..., 100; the oldest finished one is 97 (100 never finished).
            Predicate statusOne = Predicate.of(
                    run.name(),
                    anyFinished,
                    null,
                    status,
                    List.of(dialect.value(status, 1L)),
                    List.of(),
                    null,
                    List.of());
            assertEquals(
                    Optional.of(Instant.parse("2026-01-24T00:00:00Z")),
                    stats.oldest(c, run, finished, Optional.empty(), statusOne));

            // With the fallback, run 100 counts by its creation: 100 hours before 2026-01-01.
            Predicate withFallback = Predicate.of(
                    run.name(),
                    anyFinished,
                    anyCreated,
                    status,
                    List.of(dialect.value(status, 1L)),
                    List.of(),
                    null,
                    List.of());
            assertEquals(
                    Optional.of(Instant.parse("2025-12-27T20:00:00Z")),
                    stats.oldest(c, run, finished, Optional.of(created), withFallback));

            Predicate noRow = Predicate.of(
                    run.name(),
                    anyFinished,
                    null,
                    status,
                    List.of(dialect.value(status, 7L)),
                    List.of(),
                    null,
                    List.of());
            assertEquals(Optional.empty(), stats.oldest(c, run, finished, Optional.empty(), noRow));
        }
    }
}
