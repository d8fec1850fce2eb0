package io.runsweep.jobs.purge;

import io.runsweep.jobs.common.Backoff;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.purge.PolicyReport.Stop;
import io.runsweep.sql.BatchPacing;
import io.runsweep.sql.Database;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executes a plan in batches, each its own short transaction: the policy's rows and their dependents
 * commit together or not at all, and a lock held by the application makes a batch give up, not wait.
 * Batches are sized to a target duration, retried when they fail for a passing reason, and the run
 * ends early, between batches, at its bounds or when asked to stop.
 */
public final class PurgeRunner {
    private final Database database;
    private final RunOptions options;
    private final StopSignal stop;

    public PurgeRunner(Database database, RunOptions options, StopSignal stop) {
        this.database = database;
        this.options = options;
        this.stop = stop;
    }

    public PolicyReport run(PurgePlan plan, PurgeProgress progress) {
        List<String> notes =
                new ArrayList<>(List.of("strategy " + plan.strategy().configName() + ": " + plan.strategyReason()));
        Optional<String> refusal = Refusal.of(plan, options.allowLarge());
        if (refusal.isPresent()) {
            return PolicyReport.failed(
                    plan.name(),
                    plan.table().name().toString(),
                    Optional.of(plan.cutoff()),
                    List.of(),
                    0,
                    Duration.ZERO,
                    "refused: " + refusal.get(),
                    notes);
        }
        return new Run(plan, progress, notes).execute();
    }

    /** The state of one run of one policy. */
    private final class Run {
        private final PurgePlan plan;
        private final PurgeProgress progress;
        private final List<String> notes;
        private final Dialect dialect = database.dialect();
        private final String table;
        private final Map<String, Long> rows = new LinkedHashMap<>();
        private final BatchSizer sizer;
        private final Backoff backoff = Backoff.doubling(options.batch().retryBackoff(), true);
        private final BatchPacing pacing = dialect.batchPacing();
        private final long started = System.nanoTime();
        private long cursor;
        private int batches;
        private int retried;
        private boolean finished;
        private Connection connection;

        Run(PurgePlan plan, PurgeProgress progress, List<String> notes) {
            this.plan = plan;
            this.progress = progress;
            this.notes = notes;
            this.table = plan.table().name().toString();
            rows.put(table, 0L);
            plan.dependents().forEach(d -> rows.putIfAbsent(d.table().name().toString(), 0L));
            this.cursor = plan.range().start();
            this.sizer = plan.strategy() == PurgePlan.Strategy.RANGE
                    ? rangeSizer()
                    : new BatchSizer(
                            plan.policy().batchSize(),
                            1,
                            1,
                            target(),
                            minRows(),
                            options.batch().maxSize());
        }

        /** The first range is sized to hold about batch-size matching rows, from the table's density. */
        private BatchSizer rangeSizer() {
            long length = Math.max(plan.range().length(), 1);
            double matchingPerUnit = (double) Math.max(plan.matching(), 1) / length;
            double rowsPerUnit = (double) Math.max(plan.range().rows(), 1) / length;
            long units = (long) Math.ceil(plan.policy().batchSize() / matchingPerUnit);
            return new BatchSizer(
                    units,
                    matchingPerUnit,
                    rowsPerUnit,
                    target(),
                    minRows(),
                    options.batch().maxSize());
        }

        private Duration target() {
            return Duration.ofNanos((long) (options.batch().targetDuration().toNanos() * dialect.batchTargetShare()));
        }

        /** A policy that asks for smaller batches than runsweep.batch.min-size gets them. */
        private int minRows() {
            return Math.min(options.batch().minSize(), plan.policy().batchSize());
        }

        PolicyReport execute() {
            Optional<Stop> stopped = Optional.empty();
            try {
                connection = database.connection();
                while (stopped.isEmpty() && !finished()) {
                    Optional<String> bound = bound();
                    if (bound.isPresent()) {
                        stopped = Optional.of(new Stop(bound.get(), remaining()));
                        break;
                    }
                    if (!batchWithRetries()) {
                        stopped = Optional.of(new Stop(stop.reason(), remaining()));
                    } else if (!options.batch().pause().isZero()
                            && stop.sleep(options.batch().pause().toMillis())) {
                        stopped = Optional.of(new Stop(stop.reason(), remaining()));
                    }
                }
            } catch (BatchFailed e) {
                return PolicyReport.failed(
                        plan.name(),
                        table,
                        Optional.of(plan.cutoff()),
                        tableRows(),
                        batches,
                        elapsed(),
                        e.getMessage(),
                        notes);
            } catch (SQLException e) {
                return PolicyReport.failed(
                        plan.name(),
                        table,
                        Optional.of(plan.cutoff()),
                        tableRows(),
                        batches,
                        elapsed(),
                        "could not get a connection: " + Errors.describe(e),
                        notes);
            } finally {
                finishPacing();
                closeQuietly();
            }
            if (retried > 0) {
                notes.add(
                        retried + (retried == 1 ? " batch was" : " batches were") + " retried after a passing failure");
            }
            return new PolicyReport(
                    plan.name(),
                    table,
                    Optional.of(plan.cutoff()),
                    PolicyReport.Outcome.SUCCEEDED,
                    tableRows(),
                    batches,
                    elapsed(),
                    Optional.empty(),
                    List.of(),
                    notes,
                    stopped);
        }

        private boolean finished() {
            return finished
                    || (plan.strategy() == PurgePlan.Strategy.RANGE
                            && cursor >= plan.range().end());
        }

        /** Why the run must end before its next batch, if it must. */
        private Optional<String> bound() {
            if (stop.raised()) {
                return Optional.of(stop.reason());
            }
            Duration maxRuntime = plan.policy().limits().maxRuntime();
            if (!maxRuntime.isZero() && elapsed().compareTo(maxRuntime) >= 0) {
                return Optional.of("max-runtime "
                        + (maxRuntime.toMillis() < 1000
                                ? maxRuntime.toMillis() + " ms"
                                : maxRuntime.toSeconds() + " s"));
            }
            long maxRows = plan.policy().limits().maxRows();
            if (maxRows > 0 && rows.get(table) >= maxRows) {
                return Optional.of("max-rows " + maxRows);
            }
            return Optional.empty();
        }

        /** Runs the next batch, retrying passing failures; false when a stop came during a backoff. */
        private boolean batchWithRetries() throws SQLException {
            for (int attempt = 1; ; attempt++) {
                long units = unitsForNextBatch();
                try {
                    batch(units);
                    return true;
                } catch (SQLException e) {
                    if (!dialect.isTransient(e) || attempt > options.batch().retries()) {
                        throw new BatchFailed(
                                "delete batch failed after " + attempt + (attempt == 1 ? " attempt" : " attempts")
                                        + " (table=\"" + table + "\", deleted=" + rows.get(table) + ", "
                                        + elapsed().toMillis() + " ms): "
                                        + Errors.describe(e));
                    }
                    retried++;
                    if (dialect.isConnectionLost(e)) {
                        closeQuietly();
                        connection = database.connection();
                    }
                    sizer.shrink();
                    if (stop.sleep(backoff.delay(attempt).toMillis())) {
                        return false;
                    }
                }
            }
        }

        /** The size of the next batch, kept within max-rows when the run has a row bound. */
        private long unitsForNextBatch() {
            long units = sizer.size();
            long maxRows = plan.policy().limits().maxRows();
            if (maxRows > 0 && plan.strategy() == PurgePlan.Strategy.INDEX) {
                units = Math.min(units, maxRows - rows.get(table));
            }
            return Math.max(units, 1);
        }

        /** One transaction: the batch from the policy's table, then its dependents by the deleted keys. */
        private void batch(long units) throws SQLException {
            BatchValues values = plan.strategy() == PurgePlan.Strategy.RANGE
                    ? BatchValues.range(
                            cursor, Math.min(cursor + units, plan.range().end()))
                    : new BatchValues((int) units, List.of());
            pacing.beforeBatch(connection);
            long began = System.nanoTime();
            List<Object> keys = new ArrayList<>();
            long[] deleted = new long[1];
            Map<String, Long> dependentRows = Transactions.commit(connection, () -> {
                dialect.limitLockWait(connection, options.lockTimeout());
                deleted[0] = deleteParents(values, keys);
                return deleteDependents(keys, values.limit());
            });
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            committed(values, units, deleted[0], dependentRows, took);
            // A stop raised meanwhile ends the run before the next batch (see bound()).
            stop.sleep(pacing.afterBatch(connection, took).toMillis());
        }

        private void committed(
                BatchValues values, long units, long deleted, Map<String, Long> dependentRows, Duration took) {
            rows.merge(table, deleted, Long::sum);
            dependentRows.forEach((name, n) -> rows.merge(name, n, Long::sum));
            batches++;
            if (plan.strategy() == PurgePlan.Strategy.RANGE) {
                cursor = values.to();
                sizer.measured(took, deleted, units);
            } else {
                finished = deleted < units;
                sizer.measured(took, deleted, units);
            }
            Map<String, Long> batchRows = new LinkedHashMap<>(Map.of(table, deleted));
            dependentRows.forEach((name, n) -> batchRows.merge(name, n, Long::sum));
            progress.batchCommitted(new PurgeProgress.BatchEvent(
                    plan.name(), table, deleted, batchRows, rows.get(table), batches, took));
        }

        private long deleteParents(BatchValues values, List<Object> keys) throws SQLException {
            try (PreparedStatement s = plan.deleteBatch().prepare(connection, values)) {
                if (plan.dependents().isEmpty()) {
                    return s.executeUpdate();
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getObject(1));
                    }
                }
                return keys.size();
            }
        }

        private Map<String, Long> deleteDependents(List<Object> keys, int limit) throws SQLException {
            Map<String, Long> deleted = new LinkedHashMap<>();
            if (keys.isEmpty()) {
                return deleted;
            }
            for (PurgePlan.Dependent dependent : plan.dependents()) {
                try (PreparedStatement s = dependent.delete().prepare(connection, new BatchValues(limit, keys))) {
                    deleted.merge(dependent.table().name().toString(), (long) s.executeUpdate(), Long::sum);
                }
            }
            return deleted;
        }

        private long remaining() {
            try {
                return dialect.estimateMatching(connection, plan.table(), plan.where());
            } catch (SQLException e) {
                return -1;
            }
        }

        private void finishPacing() {
            if (connection != null) {
                try {
                    pacing.finish(connection);
                } catch (SQLException ignored) {
                    // the connection is failing; closing it discards its settings with it
                }
            }
        }

        private void closeQuietly() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // a connection that failed to close is discarded by the pool
                }
            }
        }

        private List<PolicyReport.TableRows> tableRows() {
            List<PolicyReport.TableRows> tables = new ArrayList<>();
            tables.add(new PolicyReport.TableRows(table, rows.get(table), PolicyReport.Reach.MATCHED, ""));
            for (PurgePlan.Dependent d : plan.dependents()) {
                String name = d.table().name().toString();
                if (tables.stream().noneMatch(t -> t.table().equals(name))) {
                    tables.add(new PolicyReport.TableRows(
                            name,
                            rows.getOrDefault(name, 0L),
                            PolicyReport.Reach.DEPENDENT,
                            d.column().name()));
                }
            }
            return tables;
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - started);
        }
    }

    /** A batch that failed for good; carries the message the report shows. */
    private static final class BatchFailed extends RuntimeException {
        BatchFailed(String message) {
            super(message);
        }
    }
}
