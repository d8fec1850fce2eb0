package io.runsweep.bench.sqlite;

import io.runsweep.bench.measure.LatencyRecorder;
import io.runsweep.bench.measure.WriterStats;
import io.runsweep.sql.Database;
import io.runsweep.sql.sqlite.SqliteBusyHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

/**
 * Plays the scheduler's server while a method deletes: one log line every 10 ms, each its own transaction
 * on its own connection, which waits for the write lock up to its busy timeout and then fails with
 * "database is locked", as Prefect's server does. It records how long each INSERT plus COMMIT took, and
 * counts the failures; any other error stops it and is raised by {@link #stop()}. After each insert it reads the
 * size of the write-ahead log file: how large the method let it grow.
 *
 * <p>Its busy handler sleeps exactly as SQLite's default one does, and counts: the inserts that found the write lock
 * free are timed apart. Their time is the server's own commit, plus the automatic checkpoint a commit runs once the
 * log holds 1,000 pages (SQLite's wal_autocheckpoint, which Prefect's connections keep): copying pages into the
 * database file and syncing it, work a method can leave to the server.
 */
public final class ConcurrentWriter implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofMillis(10);
    private static final DateTimeFormatter PREFECT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final Database database;
    private final Path logFile;
    private final Thread thread;
    private volatile boolean running = true;
    private final LatencyRecorder waits = new LatencyRecorder();
    /** The inserts among {@link #waits} that found the lock free. */
    private final LatencyRecorder unwaited = new LatencyRecorder();
    /** Times the busy handler ran for the insert under way. */
    private int busyCalls;

    private long failures;
    private long logPeakBytes;
    private String firstError;
    private SQLException broken;

    private ConcurrentWriter(Database database, Path databaseFile) {
        this.database = database;
        this.logFile = Path.of(databaseFile + "-wal");
        this.thread = new Thread(this::loop, "runsweep-bench-writer");
        this.thread.setDaemon(true);
    }

    /** Starts writing into {@code database}'s log table; the database, in {@code file}, is the writer's alone. */
    public static ConcurrentWriter start(Database database, Path file) {
        ConcurrentWriter writer = new ConcurrentWriter(database, file);
        writer.thread.start();
        return writer;
    }

    /** Stops after the insert under way, and says what the writer saw. */
    public WriterStats stop() throws SQLException {
        close();
        if (broken != null) {
            throw broken;
        }
        return new WriterStats(
                waits.latencies(), failures, Optional.ofNullable(firstError), logPeakBytes, unwaited.latencies());
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try (Connection connection = database.connection();
                PreparedStatement insert = connection.prepareStatement(SqliteBenchSql.insertWriterRow())) {
            sleepAsSqliteDoes(connection);
            long next = System.nanoTime();
            while (running) {
                insertOne(insert);
                logPeakBytes = Math.max(logPeakBytes, logSize());
                next = Math.max(next + INTERVAL.toNanos(), System.nanoTime());
                LockSupport.parkNanos(next - System.nanoTime());
            }
            BusyHandler.clearHandler(connection.unwrap(SQLiteConnection.class));
        } catch (SQLException e) {
            broken = e;
        }
    }

    /**
     * One INSERT in auto-commit mode: SQLite takes the write lock for it, waiting up to the busy timeout,
     * and commits when it ends, so its duration is the INSERT plus its COMMIT.
     */
    private void insertOne(PreparedStatement insert) throws SQLException {
        busyCalls = 0;
        long started = System.nanoTime();
        try {
            String now = PREFECT_TIME.format(Clock.systemUTC().instant());
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, SqliteBenchSql.WRITER_NAME);
            insert.setString(3, now);
            insert.setString(4, now);
            insert.setString(5, now);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!isBusy(e)) {
                throw e;
            }
            failures++;
            if (firstError == null) {
                firstError = e.getMessage();
            }
        } finally {
            long took = System.nanoTime() - started;
            waits.add(started, took);
            if (busyCalls == 0) {
                unwaited.add(started, took);
            }
        }
    }

    /**
     * Replaces SQLite's busy handler with one that sleeps as it does ({@link SqliteBusyHandler#sleepBefore}) and
     * counts its calls. Setting a handler ends the busy timeout, so the timeout is read first.
     */
    private void sleepAsSqliteDoes(Connection connection) throws SQLException {
        SQLiteConnection sqlite = connection.unwrap(SQLiteConnection.class);
        long timeoutMillis = sqlite.getBusyTimeout();
        BusyHandler.setHandler(sqlite, new BusyHandler() {
            @Override
            protected int callback(int tries) {
                busyCalls++;
                Duration sleep = SqliteBusyHandler.sleepBefore(tries, timeoutMillis);
                if (sleep.isZero()) {
                    return 0;
                }
                LockSupport.parkNanos(sleep.toNanos());
                return 1;
            }
        });
    }

    private long logSize() {
        try {
            return Files.size(logFile);
        } catch (IOException e) {
            return 0; // not there: no connection has the database open in WAL mode
        }
    }

    /** SQLITE_BUSY (5) and its extended codes: the lock stayed taken for the whole busy timeout. */
    private static boolean isBusy(SQLException e) {
        return (e.getErrorCode() & 0xff) == 5;
    }
}
