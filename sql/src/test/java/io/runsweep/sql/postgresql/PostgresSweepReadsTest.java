package io.runsweep.sql.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.Queries;
import io.runsweep.sql.Table;
import io.runsweep.sql.TableName;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two reads a PostgreSQL run makes beside its batches, kept from reading a whole table at random: the newest time is
 * read only through an index, and the final count after a range sweep reads the table in order.
 */
class PostgresSweepReadsTest {
    @TempDir
    Path dir;

    @Test
    void theNewestTimeIsReadOnlyThroughAnIndexUnlessTheColumnsUnitIsOpen() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir);
                Connection c = db.connection()) {
            execute(c, "CREATE TABLE job (id bigint PRIMARY KEY, ended timestamptz, ended_epoch bigint, status int)");
            execute(c, "CREATE INDEX ix_job__status_ended ON job (status, ended)");
            Dialect dialect = db.dialect();
            Table job = dialect.describe(c, TableName.of("job")).orElseThrow();

            assertFalse(dialect.readsNewest(c, job, job.column("ended").orElseThrow()), "only a second column");
            assertTrue(dialect.readsNewest(c, job, job.column("ended_epoch").orElseThrow()), "an integer: unit open");

            execute(c, "CREATE INDEX ix_job__ended ON job (ended)");
            assertTrue(dialect.readsNewest(c, job, job.column("ended").orElseThrow()));
        }
    }

    @Test
    void theCountAfterASweepIsExactAndLeavesTheSessionsPlannerAsItWas() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir);
                Connection c = db.connection()) {
            jobsEveryMinute(c, 0);
            execute(c, "DELETE FROM job WHERE id % 100 <> 0 AND id <= 15000");
            Dialect dialect = db.dialect();
            Table job = dialect.describe(c, TableName.of("job")).orElseThrow();
            Predicate.Older older =
                    dialect.older(c, job, job.column("ended").orElseThrow(), Instant.parse("2026-01-11T10:00:00Z"));
            Predicate where = new Predicate(older.condition(), older.params());

            assertEquals(149, dialect.countLeftAfterSweep(c, job, where));
            assertEquals(dialect.countMatching(c, job, where), dialect.countLeftAfterSweep(c, job, where));
            assertTrue(c.getAutoCommit());
            assertEquals("on", Queries.single(c, "SHOW enable_indexscan"));
            assertEquals("on", Queries.single(c, "SHOW enable_bitmapscan"));
            assertEquals("2", Queries.single(c, "SHOW max_parallel_workers_per_gather"));
        }
    }

    @Test
    void theCountAfterASweepReadsTheTableInOrderWithNoParallelWorkers() throws Exception {
        try (Database db = TestDatabases.open(DatabaseKind.POSTGRESQL, dir);
                Connection c = db.connection()) {
            jobsEveryMinute(c, 200);
            // Workers cost nothing here, so that the planner takes them for a table of any size where they are allowed.
            execute(c, "SET parallel_setup_cost = 0");
            execute(c, "SET parallel_tuple_cost = 0");
            execute(c, "SET min_parallel_table_scan_size = 0");
            String count = "EXPLAIN SELECT count(*) FROM job WHERE ended < timestamptz '2026-01-02'";

            c.setAutoCommit(false);
            String asPlanned = plan(c, count);
            PostgresDialect.readWholeTablesAlone(c);
            String afterASweep = plan(c, count);
            c.rollback();
            c.setAutoCommit(true);

            assertTrue(asPlanned.contains("ix_job__ended"), asPlanned);
            assertTrue(afterASweep.contains("Seq Scan on job"), afterASweep);
            assertFalse(afterASweep.contains("Gather"), afterASweep);
            // The same whole-table read with workers allowed: the settings above would take them.
            execute(c, "SET enable_indexscan = off");
            execute(c, "SET enable_indexonlyscan = off");
            execute(c, "SET enable_bitmapscan = off");
            assertTrue(plan(c, count).contains("Gather"));
        }
    }

    /** 20,000 jobs, one ending every minute from 2026-01-01, each with {@code pad} characters besides; analysed. */
    private static void jobsEveryMinute(Connection c, int pad) throws Exception {
        execute(c, "CREATE TABLE job (id bigint PRIMARY KEY, ended timestamptz NOT NULL, pad text)");
        execute(c, "CREATE INDEX ix_job__ended ON job (ended)");
        execute(
                c,
                "INSERT INTO job SELECT i, timestamptz '2026-01-01' + i * interval '1 minute', repeat('x', " + pad
                        + ") FROM generate_series(1, 20000) i");
        execute(c, "ANALYZE job");
    }

    private static String plan(Connection c, String explain) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(explain)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
