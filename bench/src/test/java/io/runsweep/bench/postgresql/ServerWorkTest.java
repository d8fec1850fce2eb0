package io.runsweep.bench.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.bench.measure.EngineStep;
import io.runsweep.bench.measure.EngineSteps;
import io.runsweep.bench.measure.ServerView;
import io.runsweep.bench.measure.WritesByStep;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The idle line is the server's work alone: not its warm-up, nor a stall before the method's CHECKPOINT ended; the
 * server's lookups keep their rate whatever the method locks.
 */
class ServerWorkTest {
    private static final Duration STALL = Duration.ofMillis(600);
    private static final Duration HOLD = Duration.ofMillis(1000);

    @Test
    void theIdlePhaseStartsWhenTheWarmUpEnds() throws Exception {
        withDatabases((bench, server) -> {
            ServerView stalledWhileIdle = stalledThenMeasured(bench, server, false);
            assertTrue(
                    stalledWhileIdle.idle().max().compareTo(STALL.minusMillis(100)) >= 0,
                    "the writer felt the stall: " + stalledWhileIdle.idle().max());

            ServerView stalledWhileWarmingUp = stalledThenMeasured(bench, server, true);
            assertTrue(stalledWhileWarmingUp.idle().count() > 0, "the idle phase measured the writer");
            assertTrue(
                    stalledWhileWarmingUp.idle().max().compareTo(STALL.minusMillis(100)) < 0,
                    "the stall before the idle phase is not in it: "
                            + stalledWhileWarmingUp.idle().max());
        });
    }

    /**
     * A write held up while the engine's count ran beside its batches is placed there, by the same clock: the
     * engine's steps are read from the run's progress, the writes' times from the writer's own thread.
     */
    @Test
    void aWriteHeldUpDuringTheCountBesideTheBatchesIsPlacedThere() throws Exception {
        withDatabases((bench, server) -> {
            ServerView view;
            try (ServerWork work = measuring(server)) {
                long firstBatch = System.nanoTime();
                Thread.sleep(200);
                long countBegan = System.nanoTime();
                stall(bench);
                long countEnded = System.nanoTime();
                Thread.sleep(200);
                long lastBatch = System.nanoTime();
                Thread.sleep(100);
                view = work.end(Optional.of(new EngineSteps(
                        OptionalLong.of(firstBatch),
                        OptionalLong.of(lastBatch),
                        OptionalLong.of(countBegan),
                        OptionalLong.of(countEnded))));
            }

            Map<EngineStep, WritesByStep.Tally> byStep = view.writesByStep().longerThan(STALL.minusMillis(100));

            assertEquals(view.writes().count(), view.writesByStep().count(), "every write placed");
            assertEquals(
                    1,
                    view.writes().over(STALL.minusMillis(100)),
                    "one write held up: " + view.writes().max());
            assertEquals(1, byStep.get(EngineStep.BESIDE_COUNT).longer(), byStep.toString());
            assertEquals(0, byStep.get(EngineStep.BATCHES).longer(), byStep.toString());
            assertTrue(byStep.get(EngineStep.BATCHES).began() >= 30, "the batches alone, 400 ms: " + byStep);
            assertTrue(byStep.get(EngineStep.AFTER_LAST_BATCH).began() >= 5, "after them, 100 ms: " + byStep);
        });
    }

    /**
     * While the rows it looks up stay locked (one DELETE's open transaction), the lookups go on at their rate and
     * the waiter waits for one of them: the server's load does not fall while a method holds its locks.
     */
    @Test
    void theLookupsKeepTheirRateWhileTheirRowsStayLocked() throws Exception {
        withDatabases((bench, server) -> {
            try (Connection connection = bench.connection();
                    Statement s = connection.createStatement()) {
                s.execute("INSERT INTO " + PostgresBenchSql.TABLE.quoted() + " (\"Id\", \"JobId\", \"JobVersion\","
                        + " \"CorrelationId\", \"Status\", \"CreatedAt\", \"DispatchRetryCount\")"
                        + " SELECT md5('occurrence-' || g)::uuid, gen_random_uuid(), 1, gen_random_uuid(), 2, now(), 0"
                        + " FROM generate_series(0, 9) AS g");
            }
            ServerView view;
            try (ServerWork work = measuring(server)) {
                try (Connection connection = bench.connection();
                        Statement s = connection.createStatement()) {
                    connection.setAutoCommit(false);
                    s.execute("DELETE FROM " + PostgresBenchSql.TABLE.quoted());
                    Thread.sleep(HOLD.toMillis());
                    connection.rollback();
                }
                view = work.end(Optional.empty());
            }

            assertTrue(view.lookups() >= 40, "50 a second for " + HOLD + ": " + view.lookups());
            assertTrue(view.locked() >= view.lookups() - 2, view.locked() + " of " + view.lookups() + " locked");
            assertTrue(view.lockWaits().count() >= 1, "the waiter waited");
            assertTrue(
                    view.lockWaits().max().compareTo(HOLD.minusMillis(200)) >= 0,
                    "for the DELETE to end: " + view.lockWaits().max());
            assertEquals(0, view.failures(), view.firstError().orElse(""));
        });
    }

    private interface WithDatabases {
        void run(Database bench, Database server) throws Exception;
    }

    /** A new database with the bench's tables, on the bench's pool and on the server's. */
    private static void withDatabases(WithDatabases test) throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.newDatabase());
        try (Database bench = Databases.open(url, TestDatabases.options().withPoolSize(2));
                Database server = Databases.open(url, TestDatabases.options().withPoolSize(ServerWork.CONNECTIONS))) {
            createTables(bench);
            test.run(bench, server);
        }
    }

    /** The server's work, warmed up, after a short idle phase: what follows is measured as a method's. */
    private static ServerWork measuring(Database server) throws Exception {
        ServerWork work = ServerWork.start(server, 10);
        try {
            Thread.sleep(500);
            work.idleFromNow();
            Thread.sleep(200);
            work.begin();
            return work;
        } catch (Exception e) {
            work.close();
            throw e;
        }
    }

    private static void createTables(Database bench) throws Exception {
        try (Connection connection = bench.connection();
                Statement s = connection.createStatement()) {
            BenchSchema.create(connection, line -> {});
            s.execute(PostgresBenchSql.createTable());
            for (String statement : PostgresBenchSql.createWriterLogs()) {
                s.execute(statement);
            }
        }
    }

    /** Locks the writer's log table for {@link #STALL}: the write that comes meanwhile waits for it. */
    private static void stall(Database bench) throws Exception {
        try (Connection connection = bench.connection();
                Statement s = connection.createStatement()) {
            connection.setAutoCommit(false);
            s.execute("LOCK TABLE " + PostgresBenchSql.WRITER_LOGS.quoted() + " IN EXCLUSIVE MODE");
            Thread.sleep(STALL.toMillis());
            connection.rollback();
        }
    }

    /** The server's work, its log table locked for {@link #STALL} meanwhile, then an idle phase and a method's. */
    private static ServerView stalledThenMeasured(Database bench, Database server, boolean idleFromNow)
            throws Exception {
        try (ServerWork work = ServerWork.start(server, 10)) {
            Thread.sleep(200);
            stall(bench);
            // The transaction the lock held back commits.
            Thread.sleep(200);
            if (idleFromNow) {
                work.idleFromNow();
            }
            Thread.sleep(300);
            work.begin();
            return work.end(Optional.empty());
        }
    }
}
