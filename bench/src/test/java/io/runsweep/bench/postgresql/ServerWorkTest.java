package io.runsweep.bench.postgresql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.bench.measure.ServerView;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The idle line is the server's work alone: not its warm-up, nor a stall before the method's CHECKPOINT ended. */
class ServerWorkTest {
    private static final Duration STALL = Duration.ofMillis(600);

    @Test
    void theIdlePhaseStartsWhenTheWarmUpEnds() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.newDatabase());
        try (Database bench = Databases.open(url, TestDatabases.options().withPoolSize(2));
                Database server = Databases.open(url, TestDatabases.options().withPoolSize(ServerWork.CONNECTIONS))) {
            try (Connection connection = bench.connection();
                    Statement s = connection.createStatement()) {
                BenchSchema.create(connection, line -> {});
                s.execute(PostgresBenchSql.createTable());
                for (String statement : PostgresBenchSql.createWriterLogs()) {
                    s.execute(statement);
                }
            }

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
        }
    }

    /** The server's work, its log table locked for {@link #STALL} meanwhile, then an idle phase and a method's. */
    private static ServerView stalledThenMeasured(Database bench, Database server, boolean idleFromNow)
            throws Exception {
        try (ServerWork work = ServerWork.start(server, 10)) {
            Thread.sleep(200);
            try (Connection connection = bench.connection();
                    Statement s = connection.createStatement()) {
                connection.setAutoCommit(false);
                s.execute("LOCK TABLE " + PostgresBenchSql.WRITER_LOGS.quoted() + " IN EXCLUSIVE MODE");
                Thread.sleep(STALL.toMillis());
                connection.rollback();
            }
            // The transaction the lock held back commits.
            Thread.sleep(200);
            if (idleFromNow) {
                work.idleFromNow();
            }
            Thread.sleep(300);
            work.begin();
            return work.end();
        }
    }
}
