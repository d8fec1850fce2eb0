package io.runsweep.sql.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.connect.Databases;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite batch finds its rows with a SELECT and deletes them by rowid: a function call anywhere in a DELETE makes
 * SQLite keep a statement journal of every page it changes inside a transaction, which made batches about 40%
 * slower. The test of the time column's form (a function) stays in the SELECT.
 */
class SqliteBatchStatementTest {
    @TempDir
    Path dir;

    @Test
    void theBatchDeleteCallsNoFunctionAndTakesExactlyTheRowsItsSelectFinds() throws Exception {
        try (Database db = Databases.open(
                        DatabaseUrl.ofSqliteFile(dir.resolve("prefect.db")),
                        TestDatabases.options().withPoolSize(1).withCreateIfMissing(true));
                Connection c = db.connection()) {
            execute(c, "CREATE TABLE log (id TEXT PRIMARY KEY, timestamp DATETIME NOT NULL)");
            execute(c, "CREATE INDEX ix_log__timestamp ON log (timestamp)");
            // Old rows in Prefect's form and in the T form, young rows; then an old epoch number, written after the
            // forms were read: no form the plan compares, so it must stay.
            execute(
                    c,
                    "INSERT INTO log VALUES ('a', '2020-01-01 00:00:00.000000'), ('b', '2020-01-02 00:00:00'),"
                            + " ('c', '2020-01-03 10:00:00.5'), ('t', '2020-01-01T00:00:00'), ('y', '2030-01-01 00:00:00'),"
                            + " ('z', '2030-06-01 00:00:00.000000')");
            Dialect dialect = db.dialect();
            Table table = dialect.describe(c, TableName.of("log")).orElseThrow();
            Predicate.Older older = dialect.older(
                    c, table, table.column("timestamp").orElseThrow(), Instant.parse("2025-01-01T00:00:00Z"));
            execute(c, "INSERT INTO log VALUES ('n', 1577836800)");
            Predicate where = new Predicate(older.condition(), older.params());

            for (Sql delete : List.of(
                    dialect.deleteBatch(table, where, Optional.empty()),
                    dialect.deleteRange(c, table, where, Optional.empty(), false)
                            .orElseThrow())) {
                assertEquals(List.of(), functionCalls(c, delete), delete.text());
                SqlParam.SelectedKeys selected =
                        (SqlParam.SelectedKeys) delete.params().get(0);
                assertTrue(
                        functionCalls(c, selected.select()).contains("substr"),
                        selected.select().text());
            }

            c.setAutoCommit(false);
            try (PreparedStatement s =
                    dialect.deleteBatch(table, where, Optional.empty()).prepare(c, new BatchValues(2, List.of()))) {
                assertEquals(2, s.executeUpdate());
            }
            try (PreparedStatement s = dialect.deleteRange(c, table, where, Optional.empty(), false)
                    .orElseThrow()
                    .prepare(c, BatchValues.range(0, 1_000))) {
                assertEquals(2, s.executeUpdate());
            }
            c.commit();
            assertEquals(List.of("n", "y", "z"), ids(c));
        }
    }

    /** The functions the statement's bytecode calls (EXPLAIN's Function and PureFunc operations). */
    private static List<String> functionCalls(Connection c, Sql statement) throws Exception {
        List<String> calls = new ArrayList<>();
        try (PreparedStatement s = statement
                        .wrap("EXPLAIN ", "")
                        .prepare(c, new BatchValues(10, List.of(), 0, 10, null, null, null));
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String opcode = rs.getString("opcode");
                if (opcode.equals("Function") || opcode.equals("PureFunc")) {
                    calls.add(rs.getString("p4").replaceAll("\\(.*", ""));
                }
            }
        }
        return calls;
    }

    private static List<String> ids(Connection c) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM log ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
