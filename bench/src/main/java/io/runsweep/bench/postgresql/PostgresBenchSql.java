package io.runsweep.bench.postgresql;

import io.runsweep.bench.measure.RowTimes;
import io.runsweep.sql.Identifiers;
import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.TableName;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The statements of {@code runsweep bench} on PostgreSQL. They touch only the bench's own schema,
 * {@value #SCHEMA}, and the Milvaion-shaped table in it: Milvaion's columns for a run, trimmed, and four
 * indexes (the primary key, Milvaion's {@code JobId} and covering {@code Status, CreatedAt} indexes, and
 * the {@code Status, EndTime} index its maintenance guide has operators create).
 */
public final class PostgresBenchSql {
    public static final String SCHEMA = "runsweep_bench";
    /** Written on the schema when the bench creates it; a schema without it is never dropped. */
    public static final String MARKER = "runsweep bench scratch schema, dropped when the bench ends";

    public static final TableName TABLE = new TableName(Optional.of(SCHEMA), "JobOccurrences");
    public static final String TIME = "EndTime";
    public static final String STATUS = "Status";
    /** The {@code "JobName"} of the runs the concurrent writer inserts, so that checks can leave them out. */
    public static final String WRITER_JOB = "runsweep.bench.writer";
    /** The log table the concurrent writer fills; like Prefect's log table, without a foreign key. */
    public static final TableName WRITER_LOGS = new TableName(Optional.of(SCHEMA), "WriterLogs");
    /** Result text per row, so that rows weigh what Milvaion's do (about 630 MB per million rows with indexes). */
    private static final int RESULT_WIDTH = 160;

    private static final String COLUMNS = "\"Id\", \"JobName\", \"JobId\", \"JobVersion\", \"CorrelationId\","
            + " \"WorkerId\", \"Status\", \"StartTime\", \"EndTime\", \"DurationMs\", \"Result\", \"Exception\","
            + " \"CreatedAt\", \"DispatchRetryCount\", \"LastHeartbeat\", \"StatusChangeLogs\"";

    private PostgresBenchSql() {}

    /** The schema's comment ('' when none), or no row when the schema does not exist. */
    public static Sql schemaMarker() {
        return Sql.of(
                "SELECT coalesce(obj_description(oid, 'pg_namespace'), '') FROM pg_namespace WHERE nspname = ?",
                List.of(text(SCHEMA)));
    }

    public static List<String> createSchema() {
        return List.of(
                "CREATE SCHEMA " + Identifiers.quote(SCHEMA),
                // COMMENT takes no parameters; the marker is this class's constant, without quotes in it.
                "COMMENT ON SCHEMA " + Identifiers.quote(SCHEMA) + " IS '" + MARKER + "'");
    }

    public static String dropSchema() {
        return "DROP SCHEMA " + Identifiers.quote(SCHEMA) + " CASCADE";
    }

    /** Milvaion's "JobOccurrences" columns that a run fills, trimmed of the workflow ones. */
    public static String createTable() {
        return "CREATE TABLE " + TABLE.quoted() + " ("
                + "\"Id\" uuid NOT NULL, \"JobName\" text NULL, \"JobId\" uuid NOT NULL, \"JobVersion\" integer NOT NULL,"
                + " \"CorrelationId\" uuid NOT NULL, \"WorkerId\" character varying(100) NULL, \"Status\" integer NOT NULL,"
                + " \"StartTime\" timestamp with time zone NULL, \"EndTime\" timestamp with time zone NULL,"
                + " \"DurationMs\" bigint NULL, \"Result\" text NULL, \"Exception\" text NULL,"
                + " \"CreatedAt\" timestamp with time zone NOT NULL, \"DispatchRetryCount\" integer NOT NULL,"
                + " \"LastHeartbeat\" timestamp with time zone NULL, \"StatusChangeLogs\" jsonb NULL)";
    }

    /**
     * Rows {@code first} to {@code last} (inclusive) of the deterministic data set, in the order {@code order}
     * places them: the same numbers give the same rows, Ids included, on every run. Row {@code i} ends at the
     * time {@code times} gives it; its status cycles through eight Completed (2), one Failed (3) and one
     * Cancelled (4).
     */
    public static Sql insertRows(long first, long last, RowTimes times, HeapOrder order) {
        String text = "INSERT INTO " + TABLE.quoted() + " (" + COLUMNS + ")\n"
                + "SELECT md5('occurrence-' || g)::uuid, 'ImportOrdersJob' || (g % 50), md5('job-' || (g % 50))::uuid,"
                + " 1 + (g % 3)::integer, md5('correlation-' || g)::uuid, 'worker-' || (g % 4),"
                + " CASE WHEN g % 10 < 8 THEN 2 WHEN g % 10 = 8 THEN 3 ELSE 4 END,"
                + " e - d, e, (g * 7919) % 60000,"
                + " rpad('Imported ' || (g % 997) || ' orders from the shop API into the warehouse', " + RESULT_WIDTH
                + ", ' ok'),"
                + " CASE WHEN g % 10 = 8 THEN 'System.TimeoutException: The operation has timed out after 30000 ms.' END,"
                + " e - d - interval '2 seconds', 0, e,"
                + " jsonb_build_array(jsonb_build_object('Timestamp', e - d, 'From', 0, 'To', 1),"
                + " jsonb_build_object('Timestamp', e, 'From', 1,"
                + " 'To', CASE WHEN g % 10 < 8 THEN 2 WHEN g % 10 = 8 THEN 3 ELSE 4 END))\n"
                + "FROM (SELECT g, timestamptz 'epoch' + (CASE WHEN g < ? THEN ? + g * ? ELSE ? + (g - ?) * ? END)"
                + " * interval '1 microsecond' AS e, ((g * 7919) % 60000) * interval '1 millisecond' AS d"
                + " FROM (SELECT (p * ?::bigint) % ?::bigint AS g FROM generate_series(?::bigint, ?::bigint) AS p)"
                + " AS placed) AS s";
        return Sql.of(
                text,
                List.of(
                        number(times.oldRows()),
                        number(times.oldStartMicros()),
                        number(times.oldStepMicros()),
                        number(times.recentStartMicros()),
                        number(times.oldRows()),
                        number(times.recentStepMicros()),
                        number(order.stride()),
                        number(order.rows()),
                        number(first),
                        number(last)));
    }

    /** Built after the rows are in, as a restore would build them. */
    public static List<String> createIndexes() {
        String table = TABLE.quoted();
        return List.of(
                "ALTER TABLE " + table + " ADD CONSTRAINT \"PK_JobOccurrences\" PRIMARY KEY (\"Id\")",
                "CREATE INDEX \"IX_JobOccurrences_JobId\" ON " + table + " (\"JobId\")",
                "CREATE INDEX \"IX_JobOccurrences_Status_CreatedAt_Covering\" ON " + table
                        + " (\"Status\", \"CreatedAt\" DESC)"
                        + " INCLUDE (\"Id\", \"JobId\", \"JobName\", \"CorrelationId\", \"WorkerId\", \"StartTime\", \"EndTime\","
                        + " \"DurationMs\")",
                "CREATE INDEX \"IX_JobOccurrences_Status_EndTime\" ON " + table + " (\"Status\", \"EndTime\")");
    }

    public static String vacuumAnalyze() {
        return "VACUUM ANALYZE " + TABLE.quoted();
    }

    public static String checkpoint() {
        return "CHECKPOINT";
    }

    public static String dropTable() {
        return "DROP TABLE IF EXISTS " + TABLE.quoted() + ", " + WRITER_LOGS.quoted();
    }

    /** Log lines of the writer's runs, indexed as Prefect indexes its log table. */
    public static List<String> createWriterLogs() {
        return List.of(
                "CREATE TABLE " + WRITER_LOGS.quoted()
                        + " (\"Id\" bigserial PRIMARY KEY, \"OccurrenceId\" uuid NOT NULL,"
                        + " \"Timestamp\" timestamptz NOT NULL, \"Level\" text NOT NULL, \"Message\" text NOT NULL)",
                "CREATE INDEX ON " + WRITER_LOGS.quoted() + " (\"OccurrenceId\")",
                "CREATE INDEX ON " + WRITER_LOGS.quoted() + " (\"Timestamp\")");
    }

    /** A run the writer starts: Running (1), started now; bound: its Id, its JobId, its CorrelationId. */
    public static String startRun() {
        return "INSERT INTO " + TABLE.quoted() + " (\"Id\", \"JobName\", \"JobId\", \"JobVersion\", \"CorrelationId\","
                + " \"WorkerId\", \"Status\", \"StartTime\", \"CreatedAt\", \"DispatchRetryCount\", \"LastHeartbeat\","
                + " \"StatusChangeLogs\") VALUES (CAST(? AS uuid), '" + WRITER_JOB + "', CAST(? AS uuid), 1,"
                + " CAST(? AS uuid), 'worker-bench', 1, now(), now(), 0, now(),"
                + " jsonb_build_array(jsonb_build_object('Timestamp', now(), 'From', 0, 'To', 1)))";
    }

    /** Finishes a run the writer started: Completed (2), its end, duration and status history; bound: its Id. */
    public static String finishRun() {
        return "UPDATE " + TABLE.quoted() + " SET \"Status\" = 2, \"EndTime\" = now(),"
                + " \"DurationMs\" = (extract(epoch FROM now() - \"StartTime\") * 1000)::bigint,"
                + " \"Result\" = 'Imported orders', \"LastHeartbeat\" = now(),"
                + " \"StatusChangeLogs\" = \"StatusChangeLogs\" || jsonb_build_array(jsonb_build_object("
                + "'Timestamp', now(), 'From', 1, 'To', 2)) WHERE \"Id\" = CAST(? AS uuid)";
    }

    /** One log line of a run; bound: the run's Id and the message. */
    public static String insertLog() {
        return "INSERT INTO " + WRITER_LOGS.quoted() + " (\"OccurrenceId\", \"Timestamp\", \"Level\", \"Message\")"
                + " VALUES (CAST(? AS uuid), now(), 'Information', ?)";
    }

    /**
     * The lock a foreign-key check takes on the row it references, on seeded row {@code ?} (its number):
     * it waits while a transaction that deleted the row is open, and finds nothing once it committed.
     */
    public static String touchRow() {
        return "SELECT 1 FROM " + TABLE.quoted() + " WHERE \"Id\" = md5('occurrence-' || ?)::uuid FOR KEY SHARE";
    }

    /** {@link #touchRow()}, failing at once with lock_not_available (55P03) when the row is locked. */
    public static String touchRowNoWait() {
        return touchRow() + " NOWAIT";
    }

    /** Where the server's WAL ends now. */
    public static String walPosition() {
        return "SELECT pg_current_wal_lsn()::text";
    }

    /** WAL bytes between two positions. */
    public static String walBetween() {
        return "SELECT pg_wal_lsn_diff(CAST(? AS pg_lsn), CAST(? AS pg_lsn))::bigint";
    }

    /**
     * The oldest snapshot any other session of this database holds (in transactions) and the longest its
     * transaction has been open (in seconds): what a VACUUM meanwhile could not clean up past.
     */
    public static String oldestSnapshot() {
        return "SELECT coalesce(max(age(backend_xmin)), 0),"
                + " coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)::float8"
                + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND xact_start IS NOT NULL";
    }

    public static Sql totalBytes() {
        return Sql.of("SELECT pg_total_relation_size(to_regclass(?))", List.of(text(TABLE.quoted())));
    }

    /** Everything the policy matches, in one statement. */
    public static Sql deleteAll(SqlParam cutoff, List<SqlParam> statuses) {
        return Sql.of("DELETE FROM " + TABLE.quoted() + " WHERE " + matches(statuses), params(cutoff, statuses));
    }

    /** One batch of Milvaion's (and Prefect's) loop: up to {@code <batch size>} rows picked by key. */
    public static Sql deleteByIdIn(SqlParam cutoff, List<SqlParam> statuses) {
        String table = TABLE.quoted();
        List<SqlParam> params = params(cutoff, statuses);
        params.add(new SqlParam.BatchLimit());
        return Sql.of(
                "DELETE FROM " + table + " WHERE \"Id\" IN (SELECT \"Id\" FROM " + table + " WHERE " + matches(statuses)
                        + " LIMIT ?)",
                params);
    }

    /** The Ids of the seeded rows still there, as text; the writer's runs are left out. */
    public static Sql remainingKeys() {
        return Sql.of(
                "SELECT \"Id\"::text FROM " + TABLE.quoted() + " WHERE \"JobName\" IS DISTINCT FROM ?",
                List.of(text(WRITER_JOB)));
    }

    private static String matches(List<SqlParam> statuses) {
        StringJoiner marks = new StringJoiner(", ", "\"Status\" = ANY (ARRAY[", "])");
        statuses.forEach(s -> marks.add("?"));
        return marks + " AND \"EndTime\" < ?";
    }

    private static List<SqlParam> params(SqlParam cutoff, List<SqlParam> statuses) {
        List<SqlParam> params = new ArrayList<>(statuses);
        params.add(cutoff);
        return params;
    }

    private static SqlParam number(long value) {
        return new SqlParam.Value(value, Types.BIGINT, Long.toString(value));
    }

    private static SqlParam text(String value) {
        return new SqlParam.Value(value, Types.VARCHAR, "'" + value + "'");
    }
}
