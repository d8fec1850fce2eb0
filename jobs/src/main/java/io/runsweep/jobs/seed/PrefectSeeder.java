package io.runsweep.jobs.seed;

import io.runsweep.jobs.seed.Flows.FlowRef;
import io.runsweep.sql.Queries;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Fills a Prefect schema (see {@link PrefectSchema}) with a realistic run history: flows and
 * deployments, flow runs in the state mix of a working server, their states, task runs, logs,
 * artifacts, inputs and events, plus the debris real databases hold (subflows, terminal runs
 * without end_time, autonomous task runs, logs of runs that no longer exist).
 *
 * <p>Writes in JDBC batches and commits about every 50,000 rows, so an interrupted seeding leaves
 * the rows of its committed batches behind. On PostgreSQL, open the connection with
 * {@code reWriteBatchedInserts=true}: the inserts are written for it and run several times faster.
 */
public final class PrefectSeeder {
    private static final long COMMIT_ROWS = 50_000;

    private final SeedOptions options;

    public PrefectSeeder(SeedOptions options) {
        this.options = options;
    }

    /**
     * Seeds through {@code connection}, which it leaves in its auto-commit mode. Flows and
     * deployments the database already has (by name) are reused; everything else is new rows: the
     * random source starts from the seed and the flow runs already there, so seeding a database again
     * with the same options adds runs rather than writing the ids of the first seeding again.
     */
    public SeedReport seed(Connection connection, SchemaDialect dialect) throws SQLException {
        long started = System.nanoTime();
        return Transactions.commit(connection, () -> {
            try (SeedTables tables = new SeedTables(connection, dialect)) {
                fill(connection, dialect, tables, started);
                return new SeedReport(tables.rowsByTable(), Duration.ofNanos(System.nanoTime() - started));
            }
        });
    }

    private void fill(Connection connection, SchemaDialect dialect, SeedTables tables, long started)
            throws SQLException {
        SplittableRandom rnd = new SplittableRandom(options.seed() + flowRunsAlready(connection));
        long now = Timestamps.micros(options.now());
        long windowStart = now - options.days() * Timestamps.DAY;
        List<FlowRef> flows = Flows.ensure(connection, dialect, tables, rnd, windowStart - 7 * Timestamps.DAY);
        RunGenerator runs = new RunGenerator(options, tables, flows, rnd, windowStart, now);
        long committed = 0;
        for (int i = 0; i < options.flowRuns(); i++) {
            runs.flowRun(i);
            if (tables.batchFull()) {
                tables.flushAll();
            }
            if (tables.rows() - committed >= COMMIT_ROWS) {
                committed = commit(connection, tables, i + 1, started);
            }
        }
        commit(connection, tables, options.flowRuns(), started);
    }

    private static long flowRunsAlready(Connection connection) throws SQLException {
        return Long.parseLong(Queries.single(connection, "SELECT count(*) FROM flow_run"));
    }

    private long commit(Connection connection, SeedTables tables, int flowRuns, long started) throws SQLException {
        tables.flushAll();
        connection.commit();
        double seconds = (System.nanoTime() - started) / 1e9;
        options.progress()
                .accept(String.format(
                        Locale.ROOT,
                        "prefect seed: %,d of %,d flow runs, %,d rows (%.1f s)",
                        flowRuns,
                        options.flowRuns(),
                        tables.rows(),
                        seconds));
        return tables.rows();
    }
}
