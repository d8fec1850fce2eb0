package io.runsweep.bench.sqlite;

import io.runsweep.bench.measure.RowTimes;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.TableName;
import java.sql.Types;
import java.util.List;

/**
 * The statements of {@code runsweep bench} on SQLite: Prefect's {@code log} table, in a database file the
 * bench creates in a temporary folder and deletes afterwards. Values are stored as Prefect stores them:
 * ids as lowercase hyphenated text, times as UTC text with microseconds.
 */
public final class SqliteBenchSql {
    public static final TableName TABLE = TableName.of("log");
    public static final String TIME = "timestamp";
    /** The {@code name} of the rows the concurrent writer inserts, so that checks can leave them out. */
    public static final String WRITER_NAME = "runsweep.bench.writer";

    private SqliteBenchSql() {}

    /**
     * Rows {@code first} to {@code last} (inclusive) of the deterministic data set: twenty log lines per flow
     * run, a third of them from task runs, each about 160 characters long. Row {@code i} happened at
     * the time {@code times} gives it.
     */
    public static Sql insertRows(long first, long last, RowTimes times) {
        String text = "WITH RECURSIVE g(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM g WHERE i < ?),"
                + " t(i, at) AS (SELECT i, CASE WHEN i < ? THEN ? + i * ? ELSE ? + (i - ?) * ? END FROM g),"
                + " s(i, ts) AS (SELECT i, strftime('%Y-%m-%d %H:%M:%S', at / 1000000, 'unixepoch')"
                + " || printf('.%06d', at % 1000000) FROM t)\n"
                + "INSERT INTO log (id, created, updated, name, level, flow_run_id, task_run_id, message, timestamp)\n"
                + "SELECT " + uuid("i", '8') + ", ts, ts,"
                + " CASE WHEN i % 3 = 0 THEN 'prefect.task_runs' ELSE 'prefect.flow_runs' END,"
                + " CASE WHEN i % 17 = 0 THEN 40 ELSE 20 END, " + uuid("i / 20", '9') + ","
                + " CASE WHEN i % 3 = 0 THEN " + uuid("i / 5", 'a') + " END,"
                + " printf('%-160s', 'Downloaded ' || (i % 997) || ' records from the upstream API and wrote them to the"
                + " warehouse (batch ' || i || ')'), ts FROM s";
        return Sql.of(
                text,
                List.of(
                        number(first),
                        number(last),
                        number(times.oldRows()),
                        number(times.oldStartMicros()),
                        number(times.oldStepMicros()),
                        number(times.recentStartMicros()),
                        number(times.oldRows()),
                        number(times.recentStepMicros())));
    }

    /** Folds the write-ahead log into the file, so that copying the file alone copies the database. */
    public static String checkpoint() {
        return "PRAGMA wal_checkpoint(TRUNCATE)";
    }

    public static Sql deleteAll(SqlParam cutoff) {
        return Sql.of("DELETE FROM log WHERE timestamp < ?", List.of(cutoff));
    }

    /** One batch of Prefect's loop: up to {@code <batch size>} rows picked by id. */
    public static Sql deleteByIdIn(SqlParam cutoff) {
        return Sql.of(
                "DELETE FROM log WHERE id IN (SELECT id FROM log WHERE timestamp < ? LIMIT ?)",
                List.of(cutoff, new SqlParam.BatchLimit()));
    }

    /**
     * One log line of the concurrent writer, bound per row: its id, its name ({@link #WRITER_NAME}), and its
     * time three times (created, updated, timestamp).
     */
    public static String insertWriterRow() {
        return "INSERT INTO log (id, name, created, updated, timestamp, level, message) VALUES (?, ?, ?, ?, ?, 20,"
                + " 'heartbeat')";
    }

    /** The ids of the seeded rows still there; the writer's rows are left out. */
    public static Sql remainingKeys() {
        return Sql.of(
                "SELECT id FROM log WHERE name <> ?",
                List.of(new SqlParam.Value(WRITER_NAME, Types.VARCHAR, "'" + WRITER_NAME + "'")));
    }

    /**
     * A lowercase hyphenated UUID-shaped text, unique per value of {@code n} (which ends it) and per
     * {@code kind} digit, its first digits well mixed so that keys arrive in random order as real ones do.
     */
    private static String uuid(String n, char kind) {
        return "printf('%08x-%04x-4%03x-" + kind + "%03x-%012x', ((" + n + ") * 2654435761) % 4294967296, ((" + n
                + ") * 40503) % 65536, ((" + n + ") * 7) % 4096, ((" + n + ") * 13) % 4096, " + n + ")";
    }

    private static SqlParam number(long value) {
        return new SqlParam.Value(value, Types.BIGINT, Long.toString(value));
    }
}
