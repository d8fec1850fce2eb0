package io.runsweep.bench.measure;

import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs each method and times it, the same way on both databases. Every transaction is timed from BEGIN
 * (switching auto-commit off) to the end of COMMIT (switching it back on, which commits: sqlite-jdbc's
 * {@code commit()} would begin the next transaction at once).
 */
public final class Methods {
    private Methods() {}

    /** Everything in one statement and one transaction. */
    public static Measured oneDelete(Database database, Sql delete) throws SQLException {
        TransactionTimes transactions = new TransactionTimes();
        long started = System.nanoTime();
        long deleted;
        try (Connection connection = database.connection()) {
            deleted = inTransaction(connection, delete, BatchValues.NONE, transactions);
        }
        return new Measured(
                started, since(started), deleted, transactions, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Batches of {@link Method#LOOP_BATCH} until one comes back short, a commit after each. */
    public static Measured idInLoop(Database database, Sql batch) throws SQLException {
        TransactionTimes transactions = new TransactionTimes();
        BatchValues limit = new BatchValues(Method.LOOP_BATCH, List.of());
        long started = System.nanoTime();
        long total = 0;
        try (Connection connection = database.connection()) {
            long deleted;
            do {
                deleted = inTransaction(connection, batch, limit, transactions);
                total += deleted;
            } while (deleted == Method.LOOP_BATCH);
        }
        return new Measured(
                started, since(started), total, transactions, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A method ready to run: what it needs first (a session; the engine's configuration and pool) is done. */
    public interface Prepared extends AutoCloseable {
        Measured run() throws Exception;

        @Override
        default void close() {}
    }

    /**
     * The engine configured and connected and the heap collected, prepared before the server's (or the writer's)
     * measured time begins as the other methods' sessions are: the collection stops every thread of the bench,
     * the server's among them, and run inside that time it added its pause to one of the server's writes during
     * the engine and to none during the other methods. Then timed around its run (planning included), its
     * transactions as it reports them, the heap watched meanwhile.
     */
    public static Prepared engine(Engine engine, DatabaseUrl url, BenchPolicy policy, Instant now) throws Exception {
        Engine.Ready ready = engine.prepare(url, policy);
        HeapSampler heap = HeapSampler.afterCollection();
        return new Prepared() {
            @Override
            public Measured run() {
                TransactionTimes transactions = new TransactionTimes();
                AtomicReference<OptionalLong> countBegan = new AtomicReference<>(OptionalLong.empty());
                AtomicReference<OptionalLong> countEnded = new AtomicReference<>(OptionalLong.empty());
                PurgeProgress progress = new PurgeProgress() {
                    @Override
                    public void batchCommitted(BatchEvent event) {
                        transactions.add(event.duration());
                    }

                    @Override
                    public void countingBesideBatches(String policy, String table) {
                        countBegan.set(OptionalLong.of(System.nanoTime()));
                    }

                    @Override
                    public void countedBesideBatches(String policy, String table) {
                        countEnded.set(OptionalLong.of(System.nanoTime()));
                    }
                };
                heap.start();
                long started = System.nanoTime();
                PolicyReport report;
                Duration time;
                HeapPeak peak;
                try {
                    report = ready.run(now, progress);
                    time = since(started);
                } finally {
                    peak = heap.stop();
                }
                EngineSteps steps = new EngineSteps(
                        transactions.firstBegan(), transactions.lastEnded(), countBegan.get(), countEnded.get());
                return new Measured(
                        started,
                        time,
                        report.rows(report.table()),
                        transactions,
                        report.error(),
                        Optional.of(peak),
                        Optional.of(steps));
            }

            @Override
            public void close() {
                ready.close();
            }
        };
    }

    /**
     * The engine once, unmeasured, on a small copy before a scenario's measured runs: its classes load and its
     * code first runs there, as in a daemon after its first run, rather than in whichever measured run comes first
     * (PostgreSQL, 1,000,000 rows: planning took 126 ms in the first scenario's median run, 14 ms in the next
     * scenario's). A command started afresh pays that cost; the footprint part measures such commands. Fails when
     * the engine did not delete {@code expected} rows.
     */
    public static void warmUpEngine(Engine engine, DatabaseUrl url, BenchPolicy policy, Instant now, long expected)
            throws Exception {
        Measured warm;
        try (Prepared prepared = engine(engine, url, policy, now)) {
            warm = prepared.run();
        }
        if (warm.error().isPresent() || warm.rowsDeleted() != expected) {
            throw new BenchException("the engine's warm-up run deleted " + warm.rowsDeleted() + " rows, not " + expected
                    + warm.error().map(e -> ": " + e).orElse(""));
        }
    }

    private static long inTransaction(
            Connection connection, Sql statement, BatchValues values, TransactionTimes transactions)
            throws SQLException {
        long started = System.nanoTime();
        long deleted = Transactions.commit(connection, () -> {
            try (PreparedStatement s = statement.prepare(connection, values)) {
                return (long) s.executeUpdate();
            }
        });
        transactions.add(since(started));
        return deleted;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
