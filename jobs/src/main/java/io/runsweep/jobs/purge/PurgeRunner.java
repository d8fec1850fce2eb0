package io.runsweep.jobs.purge;

import io.runsweep.jobs.common.Backoff;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.Formats;
import io.runsweep.jobs.purge.PolicyReport.Stop;
import io.runsweep.sql.BatchPacing;
import io.runsweep.sql.Database;
import io.runsweep.sql.Dialect;
import io.runsweep.sql.JobLock;
import io.runsweep.sql.KeysetBatch;
import io.runsweep.sql.LockLostException;
import io.runsweep.sql.Sql;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a plan in batches, each its own short transaction: the policy's rows and their dependents
 * commit together or not at all, and a lock held by the application makes a batch give up, not wait.
 * Batches are sized to a target duration, retried when they fail for a passing reason (on a new connection
 * when the session is gone: the next batch is found from the database as it is then), as are the reads between
 * and after them, and the run ends early, between batches, at its bounds, when asked to stop, or when the job's
 * lock between daemons is lost to another daemon. A run that ends otherwise has left no row that matched: where
 * changed rows can escape the batches, it counts the rows still matching, and a final pass by index takes them.
 */
public final class PurgeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeRunner.class);

    /**
     * Final passes before a run says how many rows still match instead of going on: rows that keep
     * matching after this many are being written as fast as they are deleted.
     */
    private static final int FINAL_PASSES = 3;

    /**
     * How much more than the counted rows left need, at the density seen so far, a range may cover at first. Kept
     * small: a range that falls short costs one more batch, one that reaches past them reads recent rows for nothing.
     */
    private static final double COUNTED_ROWS_LEFT_MARGIN = 1.05;

    private final Database database;
    private final RunOptions options;
    private final StopSignal stop;
    private final JobLock lock;
    private final Throttle.Factory throttles;
    private final BatchArchive.Factory archives;

    public PurgeRunner(Database database, RunOptions options, StopSignal stop) {
        this(database, options, stop, JobLock.NONE, Throttle.Factory.NONE, BatchArchive.Factory.NONE);
    }

    /**
     * @param lock the daemon's lock on the job: every batch confirms, in its own transaction, that it still holds it
     * @param throttles what each run's batch loop asks before and after a batch
     * @param archives opens the archive of a run whose plan keeps one
     */
    public PurgeRunner(
            Database database,
            RunOptions options,
            StopSignal stop,
            JobLock lock,
            Throttle.Factory throttles,
            BatchArchive.Factory archives) {
        this.database = database;
        this.options = options;
        this.stop = stop;
        this.lock = lock;
        this.throttles = throttles;
        this.archives = archives;
    }

    public PolicyReport run(PurgePlan plan, PurgeProgress progress) {
        return runUnlessStopped(plan, progress)
                .orElseGet(() -> notRun(
                        plan,
                        "stopped by " + stop.reason() + " before its first batch, so nothing was deleted",
                        List.of(PolicyReport.strategyNote(plan))));
    }

    /** The run; empty when the stop came while it measured what it would delete, before its first batch. */
    public Optional<PolicyReport> runUnlessStopped(PurgePlan plan, PurgeProgress progress) {
        List<String> notes = new ArrayList<>(List.of(PolicyReport.strategyNote(plan)));
        Preflight preflight;
        try {
            Optional<Preflight> measured = Preflight.beforeRun(database, plan, options, stop);
            if (measured.isEmpty()) {
                return Optional.empty();
            }
            preflight = measured.get();
        } catch (SQLException e) {
            return Optional.of(notRun(
                    plan,
                    "could not measure what the run would delete, so nothing was deleted: " + Errors.describe(e),
                    notes));
        }
        Optional<String> refusal = Refusal.of(preflight, options.allowLarge());
        if (refusal.isPresent()) {
            return Optional.of(notRun(plan, "refused: " + refusal.get(), notes));
        }
        preflight.cascadeSummary().ifPresent(summary -> progress.beforeFirstBatch(plan.name(), summary));
        return Optional.of(new Run(plan, progress, notes).execute());
    }

    /** A run that ended before its first batch: nothing was deleted. */
    private static PolicyReport notRun(PurgePlan plan, String error, List<String> notes) {
        return PolicyReport.failed(
                plan.name(),
                plan.table().name().toString(),
                Optional.of(plan.cutoff()),
                List.of(),
                0,
                Duration.ZERO,
                error,
                notes);
    }

    /** The state of one run of one policy. */
    private final class Run {
        private final PurgePlan plan;
        private final PurgeProgress progress;
        private final List<String> notes;
        private final Dialect dialect = database.dialect();
        private final String table;
        private final Map<String, Long> rows = new LinkedHashMap<>();
        private double countedRowsLeftMargin = COUNTED_ROWS_LEFT_MARGIN;
        private boolean lastRangeCapped;
        private BatchSizer sizer;
        private final Backoff backoff = Backoff.doubling(options.batch().retryBackoff(), true);
        private final BatchPacing pacing = dialect.batchPacing(options.batch().compressWal());
        private final long started = System.nanoTime();
        private final Throttle throttle;
        private Optional<BatchArchive> archive = Optional.empty();
        private long cursor;
        /** Where a range sweep ends: the planned end, moved on when the table grew while it ran. */
        private long end;
        /** Batches by index after the planned ones, for rows those could not see. */
        private boolean finalPass;
        /** Where the next batch in order of time starts: where the last committed one ended. */
        private String timeFrom;
        /** What the batch in its transaction now will leave, once it commits: where it ended, whether it was the last. */
        private String pendingTimeFrom;

        private boolean pendingLast;
        /**
         * Whether a batch took any matching rows, counted before the first batch or not (times shared beyond a
         * batch): the rows taken then no longer tell whether any counted one escaped.
         */
        private boolean tookUncounted;

        private int batches;
        private int retried;
        private int readsRetried;
        /** Rows of the policy's table in batches whose commit was cut off: deleted or not, nobody can say. */
        private long inDoubt;

        private boolean finished;
        private Connection connection;
        /** The count of the rows that matched before the first batch, when the batches take only those. */
        private Optional<CountAtStart> atStart = Optional.empty();

        Run(PurgePlan plan, PurgeProgress progress, List<String> notes) {
            this.plan = plan;
            this.progress = progress;
            this.notes = notes;
            this.table = plan.table().name().toString();
            this.throttle = throttles.start(plan, progress);
            rows.put(table, 0L);
            plan.dependents().forEach(d -> rows.putIfAbsent(d.table().name().toString(), 0L));
            this.cursor = plan.range().start();
            this.end = plan.range().end();
            this.sizer = plan.strategy() == PurgePlan.Strategy.RANGE ? rangeSizer() : indexSizer();
            this.timeFrom = plan.keyset().map(KeysetBatch::first).orElse(null);
        }

        /**
         * Whether index batches go in order of the time column. Not in the final passes (the rows they look for
         * changed behind the batches, at any time) nor through the archive (whose statements lock and copy the
         * rows of one batch of any rows).
         */
        private boolean inTimeOrder() {
            return plan.keyset().isPresent() && archive.isEmpty() && !sweepingRanges() && !finalPass;
        }

        private BatchSizer indexSizer() {
            return new BatchSizer(
                    plan.policy().batchSize(),
                    1,
                    1,
                    target(),
                    minRows(),
                    options.batch().maxSize());
        }

        /** Whether batches sweep ranges of the table's physical order now, rather than take rows by index. */
        private boolean sweepingRanges() {
            return plan.strategy() == PurgePlan.Strategy.RANGE && !finalPass;
        }

        /** The first range is sized to hold about batch-size matching rows, from the table's density. */
        private BatchSizer rangeSizer() {
            long length = Math.max(plan.range().length(), 1);
            double matchingPerUnit = (double) Math.max(plan.matching().rows(), 1) / length;
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
            Optional<Stop> stopped;
            try {
                if (plan.countsAtStart()) {
                    atStart = countAtStart();
                }
                progress.started(
                        plan.name(),
                        table,
                        atStart.flatMap(CountAtStart::countedYet)
                                .orElse(plan.matching().rows()));
                if (plan.archive().isPresent()) {
                    archive = Optional.of(archives.open(plan, progress, connection()));
                }
                stopped = plan.countsAtStart() && atStart.isEmpty()
                        ? Optional.of(new Stop(stop.reason(), remaining()))
                        : batches();
                if (stopped.isEmpty() && dialect.batchesCanMissChangedRows() && !noneEscaped()) {
                    stopped = finalPasses();
                }
            } catch (BatchFailed e) {
                return extras(PolicyReport.failed(
                        plan.name(),
                        table,
                        Optional.of(plan.cutoff()),
                        tableRows(),
                        batches,
                        elapsed(),
                        e.getMessage(),
                        notes));
            } catch (SQLException e) {
                return extras(PolicyReport.failed(
                        plan.name(),
                        table,
                        Optional.of(plan.cutoff()),
                        tableRows(),
                        batches,
                        elapsed(),
                        (archive.isEmpty() && plan.archive().isPresent()
                                        ? "could not prepare the archive: "
                                        : "could not read where the run stands (" + standing() + "): ")
                                + Errors.describe(e),
                        notes));
            } finally {
                finishPacing();
                atStart.ifPresent(CountAtStart::close);
                archive.ifPresent(BatchArchive::close);
                throttle.close();
                closeQuietly();
            }
            if (retried > 0) {
                notes.add(
                        retried + (retried == 1 ? " batch was" : " batches were") + " retried after a passing failure");
            }
            if (readsRetried > 0) {
                notes.add(
                        readsRetried + (readsRetried == 1 ? " read between batches was" : " reads between batches were")
                                + " retried after a passing failure");
            }
            if (inDoubt > 0) {
                notes.add(Formats.count(inDoubt) + " rows from \"" + table + "\" may have been deleted without being"
                        + " counted: a batch's commit was cut off, and whether it took effect cannot be known");
            }
            return extras(new PolicyReport(
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
                    stopped));
        }

        /** The report with the time the run waited for the server, and what it archived. */
        private PolicyReport extras(PolicyReport report) {
            return report.with(throttle.waited(), archive.map(BatchArchive::summary));
        }

        /** Waits while the throttle holds batches back; why the run must stop instead, if it must. */
        private Optional<String> throttled() {
            return readWithRetries(
                            "asking whether to wait before the next batch",
                            "could not tell whether to wait before the next batch",
                            c -> throttle.awaitClearance(c, this::bound))
                    .orElseGet(() -> Optional.of(stop.reason()));
        }

        /** Batches until none is left to run, or until the run must end early, and why. */
        private Optional<Stop> batches() throws SQLException {
            while (!finished()) {
                Optional<String> bound = bound().or(() -> throttled());
                if (bound.isPresent()) {
                    return Optional.of(new Stop(bound.get(), remaining()));
                }
                Optional<String> interrupted = batchWithRetries();
                if (interrupted.isPresent()) {
                    return Optional.of(new Stop(interrupted.get(), remaining()));
                }
                if (!options.batch().pause().isZero()
                        && stop.sleep(options.batch().pause().toMillis())) {
                    return Optional.of(new Stop(stop.reason(), remaining()));
                }
            }
            return Optional.empty();
        }

        /**
         * The rows that match before the first batch, counted beside the batches where a connection is spare, else
         * before them; empty when a stop came while a failed count waited. Batches in time order count beside them
         * only on a connection already made ({@link PurgePlan#countsBesideOnlyOnIdleConnection}): a new session cost
         * 15 to 20 ms before the first batch and the server's CPU beside it (1,000,000 rows, of which 13,334 go: the
         * run took 78 to 96 ms opening one, against 74 ms counting after the batches).
         */
        private Optional<CountAtStart> countAtStart() {
            Sql count = dialect.countAtStart(plan.table(), plan.where()).orElseThrow();
            return besideBatches(count)
                    .or(() -> readWithRetries(
                            "counting the rows that match before the first batch",
                            "could not count the rows that match before the first batch (" + standing() + ")",
                            c -> {
                                progress.countingBeforeFirstBatch(plan.name(), table);
                                return CountAtStart.counted(dialect.countRowsAtStart(c, count));
                            }));
        }

        /** The count started beside the batches, when the pool has a connection beyond the run's own. */
        private Optional<CountAtStart> besideBatches(Sql count) {
            try {
                connection();
            } catch (SQLException e) {
                return Optional.empty(); // the count before the first batch retries for it
            }
            if (plan.countsBesideOnlyOnIdleConnection() && !database.hasIdleConnection()) {
                return Optional.empty();
            }
            return CountAtStart.beside(
                    database,
                    count,
                    plan.name(),
                    () -> progress.countingBesideBatches(plan.name(), table),
                    () -> progress.countedBesideBatches(plan.name(), table));
        }

        /**
         * Whether the batches (ranges, or times in order) took every row that matched before the first: each took
         * only rows counted then, so none escaped them (see {@link io.runsweep.sql.RowsAtStart}). Not when the count
         * failed, nor when a batch's commit was cut off (its rows are not known), nor when a batch took any matching
         * rows (times shared beyond a batch), nor after so many transactions that the batches could no longer tell
         * the counted rows apart.
         */
        private boolean noneEscaped() {
            if (atStart.isEmpty() || inDoubt > 0 || tookUncounted) {
                return false;
            }
            Optional<Long> counted = atStart.get().rows(stop);
            if (counted.isEmpty()) {
                if (!stop.raised()) {
                    notes.add("the count before the first batch, made beside the batches, failed; the rows left were"
                            + " counted after them instead");
                }
                return false;
            }
            long took = rows.get(table);
            if (took != counted.get()) {
                LOG.debug(
                        "{} - the batches took {} of the {} rows counted before them; counting what is left",
                        plan.name(),
                        took,
                        counted.get());
                return false;
            }
            boolean proved = readWithRetries(
                            "reading how many transactions began during the run",
                            "could not read how many transactions began during the run (" + standing() + ")",
                            c -> dialect.startedWithin(c, atStart.get().xmin()))
                    .orElse(false);
            LOG.debug(
                    "{} - the batches took the {} rows counted before them{}",
                    plan.name(),
                    took,
                    proved ? ": none escaped them" : ", but too many transactions began meanwhile to tell");
            return proved;
        }

        /**
         * Counts the rows that still match and takes them by index, until none is left (see
         * {@link Dialect#batchesCanMissChangedRows}).
         */
        private Optional<Stop> finalPasses() throws SQLException {
            for (int pass = 0; ; pass++) {
                Optional<Long> counted = matchingNow();
                if (counted.isEmpty()) {
                    return Optional.of(new Stop(stop.reason(), -1));
                }
                long left = counted.get();
                if (left == 0) {
                    return Optional.empty();
                }
                if (pass == FINAL_PASSES) {
                    return Optional.of(new Stop(
                            "the final check: rows still matched after " + FINAL_PASSES + " passes by index", left));
                }
                if (pass == 0) {
                    notes.add(Formats.count(left) + (left == 1 ? " matching row was" : " matching rows were")
                            + " left after the batches; a pass by index followed");
                }
                finalPass = true;
                finished = false;
                sizer = indexSizer();
                Optional<Stop> stopped = batches();
                if (stopped.isPresent()) {
                    return stopped;
                }
            }
        }

        /** The rows that match now; empty when a stop came while a failed count waited to be retried. */
        private Optional<Long> matchingNow() {
            // After a range sweep the index still holds an entry for every row it deleted, so the count reads the
            // whole table; after index batches, the index holds entries for only as many as the last ones took.
            boolean wholeTable = plan.strategy() == PurgePlan.Strategy.RANGE;
            if (wholeTable) {
                progress.countingWhatIsLeft(plan.name(), table);
            }
            return readWithRetries(
                    "counting the rows left",
                    "could not count the rows left after " + batches + " batches (" + standing() + ")",
                    c -> wholeTable
                            ? dialect.countLeftAfterSweep(c, plan.table(), plan.where())
                            : dialect.countMatching(c, plan.table(), plan.where()));
        }

        private boolean finished() {
            if (finished) {
                return true;
            }
            if (!sweepingRanges()) {
                return false;
            }
            if (tookEveryCountedRow()) {
                return true;
            }
            if (cursor < end) {
                return false;
            }
            // Rows added past the planned end while the sweep ran (new versions of rows rewritten by its own
            // cascades, among others) are swept too, range by range, until the table stops growing. A stop
            // while a failed read waits to be retried leaves the end as it was; bound() then ends the run.
            Optional<Long> now = readWithRetries(
                    "reading where the table ends",
                    "could not read where the table ends after " + batches + " batches (" + standing() + ")",
                    c -> dialect.scanRange(c, plan.table()).end());
            end = Math.max(end, now.orElse(end));
            return cursor >= end;
        }

        /**
         * Whether a range sweep has taken as many rows as matched before its first batch, that count being done. Its
         * batches take only row versions counted then ({@link io.runsweep.sql.RowsAtStart}), so the ranges left hold
         * none they could take, and the sweep ends without reading them: where rows are inserted as they end, the
         * expiring ones fill the start of the table and the recent rest is skipped. Whether any row escaped the batches
         * is settled after them as always.
         */
        private boolean tookEveryCountedRow() {
            return countedForRanges()
                    .filter(counted -> rows.get(table) == counted.longValue())
                    .isPresent();
        }

        /**
         * The rows counted before the first batch, once that count is done, where a range sweep's batches take only
         * rows counted then; empty otherwise, and once a batch's commit was cut off (its rows are not known).
         */
        private Optional<Long> countedForRanges() {
            if (!plan.rangesTakeCountedRows() || atStart.isEmpty() || inDoubt > 0) {
                return Optional.empty();
            }
            return atStart.get().countedYet();
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

        /**
         * Runs the next batch, retrying passing failures, each after one log line; a session that is gone is
         * replaced by a new connection from the pool. Empty when the batch committed; else why the run stops
         * without it: a stop came during a backoff, or another daemon took the job's lock.
         */
        private Optional<String> batchWithRetries() {
            for (int attempt = 1; ; attempt++) {
                long units = unitsForNextBatch();
                try {
                    connection();
                    batch(units);
                    return Optional.empty();
                } catch (LockLostException e) {
                    Optional<String> lost = retakeLock(e, attempt);
                    if (lost.isPresent()) {
                        return lost;
                    }
                } catch (SQLException e) {
                    boolean sessionGone = dialect.sessionLost(connection, e);
                    if (givesUp(sessionGone, e, attempt)) {
                        throw new BatchFailed("delete batch failed after " + attempt
                                + (attempt == 1 ? " attempt" : " attempts")
                                + " (" + standing() + ", " + elapsed().toMillis() + " ms): "
                                + Errors.describe(e) + LockHolders.of(database, e, LockHolders.reachedBy(plan)));
                    }
                    if (backOff(attempt, failure(sessionGone, e))) {
                        return Optional.of(stop.reason());
                    }
                }
            }
        }

        /**
         * A read between batches, retried as a batch is when it fails for a passing reason; a session that is gone
         * is replaced by a new connection from the pool. Empty when a stop came while it waited to retry.
         *
         * @param doing what the read does, for the log line of each retry
         * @param failed the report's error when it fails for good, before the database's message
         */
        private <T> Optional<T> readWithRetries(String doing, String failed, Read<T> read) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return Optional.of(read.from(connection()));
                } catch (SQLException e) {
                    boolean sessionGone = dialect.sessionLost(connection, e);
                    if (givesUp(sessionGone, e, attempt)) {
                        throw new BatchFailed(failed + ": " + Errors.describe(e));
                    }
                    readsRetried++;
                    if (waitToRetry(attempt, doing, failure(sessionGone, e))) {
                        return Optional.empty();
                    }
                }
            }
        }

        /** Whether attempt {@code attempt} failed for good: not for a passing reason, or with no retry left. */
        private boolean givesUp(boolean sessionGone, SQLException e, int attempt) {
            return !(sessionGone || dialect.isTransient(e))
                    || attempt > options.batch().retries();
        }

        /** The table and the rows deleted from it so far, for a failure's message. */
        private String standing() {
            return "table=\"" + table + "\", deleted=" + rows.get(table);
        }

        /** Why an attempt failed, in the log line; a session that is gone is dropped for a new one. */
        private String failure(boolean sessionGone, SQLException e) {
            if (!sessionGone) {
                return Errors.describe(e);
            }
            closeQuietly();
            connection = null;
            return "lost its connection (" + Errors.describe(e) + ")";
        }

        /**
         * The lock's session ended under the run. Takes the lock again when no other daemon has it; else the run
         * stops here: the daemon that holds it now carries on, and no batch of this one commits after its start.
         */
        private Optional<String> retakeLock(LockLostException e, int attempt) {
            try {
                if (lock.retake()) {
                    LOG.warn(
                            "{} - {}; took the lock again on a new session and carries on",
                            plan.name(),
                            e.getMessage());
                    return Optional.empty();
                }
                return Optional.of("the loss of the job's lock to another daemon (" + e.getMessage() + ")");
            } catch (SQLException retake) {
                if (attempt > options.batch().retries()) {
                    throw new BatchFailed("could not take the job's lock again after " + attempt + " attempts: "
                            + Errors.describe(retake));
                }
                return backOff(attempt, "could not take the job's lock again: " + Errors.describe(retake))
                        ? Optional.of(stop.reason())
                        : Optional.empty();
            }
        }

        /** One log line, a smaller next batch, then the wait before retry {@code attempt}; true when a stop came. */
        private boolean backOff(int attempt, String why) {
            retried++;
            sizer.shrink();
            return waitToRetry(attempt, "batch", why);
        }

        /** One log line, then the wait before retry {@code attempt} of {@code what}; true when a stop came. */
        private boolean waitToRetry(int attempt, String what, String why) {
            Duration delay = backoff.delay(attempt);
            LOG.warn(
                    "{} - {} failed: {}; retry {} of {} in {} ms",
                    plan.name(),
                    what,
                    why,
                    attempt,
                    options.batch().retries(),
                    delay.toMillis());
            return stop.sleep(delay.toMillis());
        }

        /** The size of the next batch, kept within max-rows when the run has a row bound. */
        private long unitsForNextBatch() {
            long units = sizer.size();
            long maxRows = plan.policy().limits().maxRows();
            if (maxRows > 0 && !sweepingRanges()) {
                units = Math.min(units, maxRows - rows.get(table));
            }
            if (sweepingRanges()) {
                long cap = blocksForCountedRowsLeft();
                lastRangeCapped = cap < units;
                units = Math.min(units, cap);
            }
            return Math.max(units, 1);
        }

        /**
         * The blocks that hold the counted rows not yet taken, at the density of counted rows in the ranges swept so
         * far, with a twentieth more: where those rows end short of the table's end (rows inserted as they end), the
         * range that reaches them stops near there instead of reading on through recent rows, and the sweep then
         * ends ({@link #tookEveryCountedRow}). A range that falls short is followed by another, allowed twice the
         * margin each time, so that rows left sparse over the rest of the table take a few more batches, not one a
         * sliver. Unbounded until the count is done and a range has taken rows.
         */
        private long blocksForCountedRowsLeft() {
            Optional<Long> counted = countedForRanges();
            long took = rows.get(table);
            long swept = cursor - plan.range().start();
            if (counted.isEmpty() || took == 0 || swept <= 0 || counted.get() <= took) {
                return Long.MAX_VALUE;
            }
            double perBlock = (double) took / swept;
            return (long) Math.ceil((counted.get() - took) / perBlock * countedRowsLeftMargin);
        }

        /**
         * One transaction: the batch from the policy's table, then its dependents by the deleted keys (or all of
         * it through the archive, which copies first), then what the throttle looks at while the locks are held.
         */
        private void batch(long units) throws SQLException {
            BatchValues values = sweepingRanges()
                    ? BatchValues.range(cursor, Math.min(cursor + units, end))
                            .withStartXid(atStart.map(CountAtStart::xid).orElse(null))
                    : new BatchValues((int) units, List.of());
            pacing.beforeBatch(connection);
            long began = System.nanoTime();
            boolean[] sealed = new boolean[1];
            long[] sealedRows = new long[1];
            Map<String, Long> batchRows;
            try {
                batchRows = Transactions.commit(connection, () -> {
                    dialect.limitLockWait(connection, options.lockTimeout());
                    lock.confirm(connection);
                    Map<String, Long> deleted = archive.isPresent()
                            ? archive.get().deleteBatch(connection, values, sweepingRanges())
                            : deleteWithDependents(values);
                    throttle.beforeCommit(connection);
                    if (archive.isPresent()) {
                        archive.get().seal();
                    }
                    sealed[0] = true;
                    sealedRows[0] = deleted.getOrDefault(table, 0L);
                    return deleted;
                });
            } catch (SQLException | RuntimeException e) {
                archive.ifPresent(
                        a -> a.ended(sealed[0] ? BatchArchive.Outcome.UNKNOWN : BatchArchive.Outcome.ROLLED_BACK));
                if (sealed[0] && sealedRows[0] > 0) {
                    inDoubt += sealedRows[0];
                    LOG.warn(
                            "{} - a batch's commit was cut off: its {} rows from \"{}\" may have been deleted without"
                                    + " being counted",
                            plan.name(),
                            Formats.count(sealedRows[0]),
                            table);
                }
                throw e;
            }
            archive.ifPresent(a -> a.ended(BatchArchive.Outcome.COMMITTED));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            committed(values, units, batchRows, took);
            if (throttle.afterCommit(this::bound)) {
                sizer.shrink();
            }
            // A stop raised meanwhile ends the run before the next batch (see bound()).
            stop.sleep(pacing.afterBatch(connection, took).toMillis());
        }

        private Map<String, Long> deleteWithDependents(BatchValues values) throws SQLException {
            List<Object> keys = new ArrayList<>();
            long parents = inTimeOrder()
                    ? deleteInTimeOrder(values.limit(), keys)
                    : deleteParents(sweepingRanges() ? plan.deleteBatch() : plan.indexedDelete(), values, keys);
            Map<String, Long> deleted = new LinkedHashMap<>(Map.of(table, parents));
            deleteDependents(keys, values.limit()).forEach((name, n) -> deleted.merge(name, n, Long::sum));
            return deleted;
        }

        private void committed(BatchValues values, long units, Map<String, Long> batchRows, Duration took) {
            long deleted = batchRows.getOrDefault(table, 0L);
            batchRows.forEach((name, n) -> rows.merge(name, n, Long::sum));
            batches++;
            if (sweepingRanges()) {
                cursor = values.to();
                if (lastRangeCapped) {
                    // Should the sweep go on, this range fell short: the rows left lie sparser than those taken.
                    countedRowsLeftMargin *= 2;
                }
            } else if (inTimeOrder()) {
                timeFrom = pendingTimeFrom;
                finished = pendingLast;
            } else {
                finished = deleted < units;
            }
            sizer.measured(took, deleted, units);
            progress.batchCommitted(new PurgeProgress.BatchEvent(
                    plan.name(), table, deleted, batchRows, rows.get(table), batches, took));
        }

        /**
         * The rows from where the last batch ended up to the time of the row after the next {@code limit} (all
         * that are left when there is none). When more than {@code limit} rows share that time, none lies before
         * it: then any {@code limit} matching rows go, and the next batch starts where this one did.
         */
        private long deleteInTimeOrder(int limit, List<Object> keys) throws SQLException {
            KeysetBatch keyset = plan.keyset().orElseThrow();
            Optional<String> end;
            try (PreparedStatement s = keyset.end().prepare(connection, BatchValues.fromTime(timeFrom, limit));
                    ResultSet rs = s.executeQuery()) {
                end = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
            BatchValues times = BatchValues.betweenTimes(timeFrom, end.orElse(keyset.last()))
                    .withStartXid(atStart.map(CountAtStart::xid).orElse(null));
            long deleted = deleteParents(keyset.delete(), times, keys);
            pendingTimeFrom = end.orElse(timeFrom);
            pendingLast = end.isEmpty();
            if (deleted == 0 && end.isPresent()) {
                tookUncounted = true;
                pendingTimeFrom = timeFrom;
                deleted = deleteParents(plan.indexedDelete(), new BatchValues(limit, List.of()), keys);
                pendingLast = deleted < limit;
            }
            return deleted;
        }

        private long deleteParents(Sql statement, BatchValues values, List<Object> keys) throws SQLException {
            try (PreparedStatement s = statement.prepare(connection, values)) {
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

        /** The run's connection, a new one from the pool when there is none (at the start, or the last was lost). */
        private Connection connection() throws SQLException {
            if (connection == null) {
                connection = database.connection();
            }
            return connection;
        }

        private long remaining() {
            if (connection == null) {
                return -1;
            }
            try {
                return dialect.estimateMatching(connection, plan.table(), plan.where())
                        .rows();
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
            // An archived run deletes cascaded rows itself, so it can count them.
            for (ArchivePlan.Level level :
                    plan.archive().map(ArchivePlan::cascades).orElse(List.of())) {
                String name = level.table().name().toString();
                if (tables.stream().noneMatch(t -> t.table().equals(name))) {
                    tables.add(new PolicyReport.TableRows(
                            name,
                            rows.getOrDefault(name, 0L),
                            PolicyReport.Reach.CASCADE,
                            level.column().name() + " -> " + level.parent() + "."
                                    + level.parentColumn().name()));
                }
            }
            return tables;
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - started);
        }
    }

    /** A read of the run's connection. */
    @FunctionalInterface
    private interface Read<T> {
        T from(Connection connection) throws SQLException;
    }

    /** A batch that failed for good; carries the message the report shows. */
    private static final class BatchFailed extends RuntimeException {
        BatchFailed(String message) {
            super(message);
        }
    }
}
