package io.runsweep.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each dialect's catalog reading and statements, run against the real database. */
class DialectTest {
    @TempDir
    Path dir;

    private static void schema(Connection c, DatabaseKind kind) throws Exception {
        String time = kind == DatabaseKind.SQLITE ? "DATETIME" : "timestamptz";
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE run (id VARCHAR(36) PRIMARY KEY, finished " + time + ", status INTEGER NOT NULL)");
            s.execute("CREATE INDEX ix_run_finished ON run (finished)");
            s.execute("CREATE TABLE step (id VARCHAR(36) PRIMARY KEY, run_id VARCHAR(36) NOT NULL"
                    + " REFERENCES run (id) ON DELETE CASCADE)");
            s.execute("CREATE TABLE note (id VARCHAR(36) PRIMARY KEY, run_id VARCHAR(36))");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void readsTheCatalog(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir);
                Connection c = db.connection()) {
            schema(c, kind);
            Dialect dialect = db.dialect();
            Table run = dialect.describe(c, TableName.of("run")).orElseThrow();
            assertEquals("run", run.name().toString());
            assertEquals(List.of("id"), run.primaryKey());
            assertEquals(
                    List.of("id", "finished", "status"),
                    run.columns().stream().map(Column::name).toList());
            assertEquals(
                    Column.Category.INTEGER, run.column("status").orElseThrow().category());
            assertEquals(Optional.empty(), dialect.describe(c, TableName.of("nothing_here")));
            List<ForeignKey> keys = dialect.referencing(c, run);
            assertEquals(1, keys.size());
            assertEquals("step", keys.get(0).child().toString());
            assertEquals("run_id", keys.get(0).childColumn());
            assertEquals("id", keys.get(0).parentColumn());
            assertEquals(ForeignKey.OnDelete.CASCADE, keys.get(0).onDelete());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void deletesOneBatchReturningKeysThenTheirDependents(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir);
                Connection c = db.connection()) {
            schema(c, kind);
            Instant now = Instant.parse("2026-05-01T12:00:00Z");
            try (Statement s = c.createStatement()) {
                String old = kind == DatabaseKind.SQLITE ? "'2026-01-01 00:00:00.000000'" : "'2026-01-01 00:00:00+00'";
                String recent =
                        kind == DatabaseKind.SQLITE ? "'2026-04-30 00:00:00.000000'" : "'2026-04-30 00:00:00+00'";
                for (int i = 0; i < 5; i++) {
                    s.execute("INSERT INTO run VALUES ('old-" + i + "', " + old + ", " + (i % 2) + ")");
                    s.execute("INSERT INTO step VALUES ('step-" + i + "', 'old-" + i + "')");
                    s.execute("INSERT INTO note VALUES ('note-" + i + "', 'old-" + i + "')");
                }
                s.execute("INSERT INTO run VALUES ('new', " + recent + ", 1)");
                s.execute("INSERT INTO run VALUES ('unfinished', NULL, 1)");
            }
            Dialect dialect = db.dialect();
            Table run = dialect.describe(c, TableName.of("run")).orElseThrow();
            Table note = dialect.describe(c, TableName.of("note")).orElseThrow();
            Column status = run.column("status").orElseThrow();
            Column finished = run.column("finished").orElseThrow();
            Predicate where = Predicate.of(
                    run.name(),
                    dialect.older(c, run, finished, now.minusSeconds(86_400 * 30)),
                    null,
                    status,
                    List.of(dialect.value(status, 1L)),
                    List.of(),
                    null,
                    List.of());
            Sql delete = dialect.deleteBatch(run, where, run.column("id"));

            List<Object> keys = new ArrayList<>();
            try (PreparedStatement s = delete.prepare(c, new BatchValues(10, List.of()));
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getObject(1));
                }
            }
            assertEquals(
                    List.of("old-1", "old-3"),
                    keys.stream().map(Object::toString).sorted().toList());
            try (PreparedStatement s = dialect.deleteByKeys(
                            note, note.column("run_id").orElseThrow())
                    .prepare(c, new BatchValues(10, keys))) {
                assertEquals(2, s.executeUpdate());
            }
            assertEquals(List.of("new", "old-0", "old-2", "old-4", "unfinished"), ids(c, "run"));
            assertEquals(List.of("step-0", "step-2", "step-4"), ids(c, "step"));
            assertEquals(List.of("note-0", "note-2", "note-4"), ids(c, "note"));

            IndexUse plan = dialect.explain(
                    c, dialect.sampleKeys(run, run.column("id").orElseThrow(), where), new BatchValues(10, List.of()));
            assertTrue(
                    plan.summary().contains("ix_run_finished") || plan.summary().contains("scans the whole table"),
                    plan.summary());
            IndexUse noteDelete = dialect.explain(
                    c,
                    dialect.deleteByKeys(note, note.column("run_id").orElseThrow()),
                    new BatchValues(10, List.of("old-0")));
            assertEquals(
                    List.of("note"), noteDelete.fullScans(), noteDelete.plan().toString());
        }
    }

    private static List<String> ids(Connection c, String table) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
