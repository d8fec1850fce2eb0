package io.runsweep.bench.postgresql;

import io.runsweep.bench.measure.EngineSteps;
import io.runsweep.bench.measure.Latencies;
import io.runsweep.bench.measure.LatencyRecorder;
import io.runsweep.bench.measure.ServerView;
import io.runsweep.bench.measure.WritesByStep;
import io.runsweep.sql.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays a scheduler's server on PostgreSQL while a method deletes, each on its own connection: a writer
 * that 100 times a second starts a run and finishes the one it started ten ticks earlier, each with a log
 * line, in one transaction; a client that 50 times a second looks up a random expiring row {@code FOR KEY
 * SHARE NOWAIT}, as a foreign-key check does, and so knows when the row is locked; a waiter that, when it is
 * free, waits for a row found locked, timed; and a monitor that reads the oldest snapshot every 20 ms. The
 * lookups keep their rate while a wait lasts, as a server's other requests do: when the lookup itself waited,
 * it stood still for the whole of one DELETE (about 10 lookups a run against 50 during the engine), and the
 * server had that much less to do during one DELETE than during the engine. It starts warming up (new
 * connections, code not yet compiled), unmeasured until {@link #idleFromNow()}; then the idle phase, measured
 * apart, until {@link #begin()}.
 */
public final class ServerWork implements AutoCloseable {
    /** One each for the writer, the touches, the waiter and the monitor, and one for reading the WAL position. */
    public static final int CONNECTIONS = 5;

    static final Duration WRITE_INTERVAL = Duration.ofMillis(10);
    static final Duration TOUCH_INTERVAL = Duration.ofMillis(20);
    static final Duration SAMPLE_INTERVAL = Duration.ofMillis(20);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** Runs stay Running this many ticks before the writer finishes them. */
    private static final int RUN_TICKS = 10;

    private final Database database;
    private final long oldRows;
    private final AtomicReference<LatencyRecorder> writes = new AtomicReference<>(new LatencyRecorder());
    private final AtomicReference<LatencyRecorder> lockWaits = new AtomicReference<>(new LatencyRecorder());
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong locked = new AtomicLong();
    /** A row the touches found locked, handed to the waiter only while it waits for one. */
    private final SynchronousQueue<Long> lockedRows = new SynchronousQueue<>();

    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicLong xminAge = new AtomicLong();
    private final AtomicLong oldestMicros = new AtomicLong();
    private final Thread[] threads;
    private volatile boolean measuring;
    private volatile boolean running = true;
    private Latencies idle = Latencies.NONE;
    private String walStart;

    private ServerWork(Database database, long oldRows) {
        this.database = database;
        this.oldRows = oldRows;
        this.threads = new Thread[] {
            new Thread(this::write, "runsweep-bench-server-writer"),
            new Thread(this::touch, "runsweep-bench-server-touches"),
            new Thread(this::await, "runsweep-bench-server-waiter"),
            new Thread(this::monitor, "runsweep-bench-server-monitor")
        };
    }

    /**
     * Starts the server's work on {@code database} (its own pool of {@link #CONNECTIONS}), whose table
     * holds {@code oldRows} old seeded rows; the idle phase lasts until {@link #begin()}.
     */
    public static ServerWork start(Database database, long oldRows) {
        ServerWork work = new ServerWork(database, oldRows);
        for (Thread thread : work.threads) {
            thread.setDaemon(true);
            thread.start();
        }
        return work;
    }

    /**
     * Ends the warm-up: what the writer felt until now is dropped, and the idle phase starts. Without it, the idle
     * phase held the writer's first transactions and the CHECKPOINT before each method, and its p99 (27 to 408 ms)
     * was above every method's.
     */
    public void idleFromNow() {
        writes.set(new LatencyRecorder());
    }

    /** Ends the idle phase: what follows is measured as the method's. */
    public void begin() throws SQLException {
        idle = writes.getAndSet(new LatencyRecorder()).latencies();
        lockWaits.set(new LatencyRecorder());
        lookups.set(0);
        locked.set(0);
        walStart = walPosition();
        measuring = true;
    }

    /**
     * Stops them all, and says what the server's work felt since {@link #begin()}.
     *
     * @param steps the engine's, to place each write in the step it began in; empty for the other methods
     */
    public ServerView end(Optional<EngineSteps> steps) throws SQLException {
        measuring = false;
        String walEnd = walPosition();
        close();
        return new ServerView(
                idle,
                writes.get().latencies(),
                lookups.get(),
                locked.get(),
                lockWaits.get().latencies(),
                failures.get(),
                Optional.ofNullable(firstError.get()),
                walBytes(walStart, walEnd),
                Duration.ofNanos(oldestMicros.get() * 1000),
                xminAge.get(),
                steps.map(s -> writes.get().placed(s)).orElse(WritesByStep.NONE));
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void write() {
        Deque<String> started = new ArrayDeque<>();
        every(
                WRITE_INTERVAL,
                connection -> {
                    String run = UUID.randomUUID().toString();
                    connection.setAutoCommit(false);
                    try (PreparedStatement start = connection.prepareStatement(PostgresBenchSql.startRun());
                            PreparedStatement log = connection.prepareStatement(PostgresBenchSql.insertLog());
                            PreparedStatement finish = connection.prepareStatement(PostgresBenchSql.finishRun())) {
                        start.setString(1, run);
                        start.setString(2, run);
                        start.setString(3, run);
                        start.executeUpdate();
                        logLine(log, run, "Job started");
                        if (started.size() >= RUN_TICKS) {
                            String done = started.removeFirst();
                            finish.setString(1, done);
                            finish.executeUpdate();
                            logLine(log, done, "Job completed");
                        }
                        connection.commit();
                    } catch (SQLException e) {
                        connection.rollback();
                        throw e;
                    } finally {
                        connection.setAutoCommit(true);
                    }
                    started.addLast(run);
                },
                writes);
    }

    private static void logLine(PreparedStatement log, String run, String message) throws SQLException {
        log.setString(1, run);
        log.setString(2, message);
        log.executeUpdate();
    }

    private void touch() {
        SplittableRandom random = new SplittableRandom(12);
        every(
                TOUCH_INTERVAL,
                connection -> {
                    long row = expiringRow(random);
                    lookups.incrementAndGet();
                    if (!lookUp(connection, PostgresBenchSql.touchRowNoWait(), row)) {
                        locked.incrementAndGet();
                        lockedRows.offer(row);
                    }
                },
                null);
    }

    /** Waits for each row handed over by the touches, timed. */
    private void await() {
        while (running) {
            try (Connection connection = database.connection()) {
                while (running) {
                    Long row = lockedRows.poll(TOUCH_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
                    if (row != null) {
                        long began = System.nanoTime();
                        lookUp(connection, PostgresBenchSql.touchRow(), row);
                        lockWaits.get().add(began, System.nanoTime() - began);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                firstError.compareAndSet(null, e.getMessage());
                LockSupport.parkNanos(TOUCH_INTERVAL.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Looks row {@code row} up with {@code sql}; false when NOWAIT found it locked. */
    private static boolean lookUp(Connection connection, String sql, long row) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setLong(1, row);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    // the row is still there; the lock goes with the statement
                }
            }
            return true;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** A seeded row that expires: old, and Completed (eight in every ten). */
    private long expiringRow(SplittableRandom random) {
        while (true) {
            long row = random.nextLong(Math.max(oldRows, 1));
            if (row % 10 < 8) {
                return row;
            }
        }
    }

    private void monitor() {
        every(
                SAMPLE_INTERVAL,
                connection -> {
                    if (!measuring) {
                        return;
                    }
                    try (PreparedStatement s = connection.prepareStatement(PostgresBenchSql.oldestSnapshot());
                            ResultSet rs = s.executeQuery()) {
                        rs.next();
                        xminAge.accumulateAndGet(rs.getLong(1), Math::max);
                        oldestMicros.accumulateAndGet((long) (rs.getDouble(2) * 1e6), Math::max);
                    }
                },
                null);
    }

    /** What one loop does each tick, on its own connection. */
    @FunctionalInterface
    private interface Tick {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code tick} at a fixed rate until closed, timing each into {@code samples} (when given); a tick that
     * ran late is not made up for. A failure is counted and the loop goes on, on a fresh connection.
     */
    private void every(Duration interval, Tick tick, AtomicReference<LatencyRecorder> samples) {
        long next = System.nanoTime();
        while (running) {
            try (Connection connection = database.connection()) {
                while (running) {
                    long began = System.nanoTime();
                    try {
                        tick.run(connection);
                    } finally {
                        if (samples != null) {
                            samples.get().add(began, System.nanoTime() - began);
                        }
                    }
                    next = Math.max(next + interval.toNanos(), System.nanoTime());
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                firstError.compareAndSet(null, e.getMessage());
                LockSupport.parkNanos(interval.toNanos());
            }
        }
    }

    private String walPosition() throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement s = connection.prepareStatement(PostgresBenchSql.walPosition());
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long walBytes(String from, String to) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement s = connection.prepareStatement(PostgresBenchSql.walBetween())) {
            s.setString(1, to);
            s.setString(2, from);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
