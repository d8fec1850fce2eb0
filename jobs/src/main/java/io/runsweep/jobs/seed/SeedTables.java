package io.runsweep.jobs.seed;

import static io.runsweep.jobs.seed.BatchWriter.Kind.INT;
import static io.runsweep.jobs.seed.BatchWriter.Kind.INTERVAL;
import static io.runsweep.jobs.seed.BatchWriter.Kind.JSON;
import static io.runsweep.jobs.seed.BatchWriter.Kind.JSONB;
import static io.runsweep.jobs.seed.BatchWriter.Kind.STATE;
import static io.runsweep.jobs.seed.BatchWriter.Kind.TEXT;
import static io.runsweep.jobs.seed.BatchWriter.Kind.TIME;
import static io.runsweep.jobs.seed.BatchWriter.Kind.UUID;
import static io.runsweep.jobs.seed.BatchWriter.col;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batched statements of one seeding, in foreign-key order. Rows are added parents first, but
 * PostgreSQL checks keys at every statement, so a table whose rows point at another table's rows
 * is executed only by {@link #flushAll()}, which runs the batches in this order. Tables nothing
 * points at through a key (logs, events) execute their batches as they fill.
 */
final class SeedTables implements AutoCloseable {
    static final int BATCH_ROWS = 5_000;

    // Each writer's columns, in the order add() takes its values.
    final BatchWriter flow;
    final BatchWriter deployment;
    final BatchWriter artifact;
    final BatchWriter flowRun;
    final BatchWriter flowRunState;
    final BatchWriter flowRunInput;
    final BatchWriter taskRun;
    final BatchWriter taskRunState;
    /** Sets flow_run.state_id and parent_task_run_id once the rows they point at are written. */
    final BatchWriter flowRunPointers;

    final BatchWriter log;
    final BatchWriter events;
    final BatchWriter eventResources;

    private final List<BatchWriter> inKeyOrder;
    private final List<BatchWriter> tables;

    SeedTables(Connection c, SchemaDialect d) throws SQLException {
        flow = BatchWriter.insert(
                c,
                d,
                "flow",
                0,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("name", TEXT),
                col("tags", JSONB));
        deployment = BatchWriter.insert(
                c,
                d,
                "deployment",
                0,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("name", TEXT),
                col("flow_id", UUID),
                col("tags", JSONB));
        artifact = BatchWriter.insert(
                c,
                d,
                "artifact",
                BATCH_ROWS,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("key", TEXT),
                col("type", TEXT),
                col("data", JSON),
                col("task_run_id", UUID),
                col("flow_run_id", UUID));
        flowRun = BatchWriter.insert(
                c,
                d,
                "flow_run",
                0,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("name", TEXT),
                col("state_type", STATE),
                col("run_count", INT),
                col("expected_start_time", TIME),
                col("start_time", TIME),
                col("end_time", TIME),
                col("total_run_time", INTERVAL),
                col("tags", JSONB),
                col("flow_id", UUID),
                col("deployment_id", UUID),
                col("state_name", TEXT),
                col("state_timestamp", TIME));
        flowRunState = BatchWriter.insert(
                c,
                d,
                "flow_run_state",
                0,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("type", STATE),
                col("timestamp", TIME),
                col("name", TEXT),
                col("flow_run_id", UUID),
                col("result_artifact_id", UUID));
        flowRunInput = BatchWriter.insert(
                c,
                d,
                "flow_run_input",
                0,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("key", TEXT),
                col("value", TEXT),
                col("flow_run_id", UUID));
        taskRun = BatchWriter.insert(
                c,
                d,
                "task_run",
                0,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("name", TEXT),
                col("state_type", STATE),
                col("run_count", INT),
                col("expected_start_time", TIME),
                col("start_time", TIME),
                col("end_time", TIME),
                col("total_run_time", INTERVAL),
                col("task_key", TEXT),
                col("dynamic_key", TEXT),
                col("flow_run_id", UUID),
                col("state_id", UUID),
                col("state_name", TEXT),
                col("state_timestamp", TIME),
                col("flow_run_run_count", INT));
        taskRunState = BatchWriter.insert(
                c,
                d,
                "task_run_state",
                0,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("type", STATE),
                col("timestamp", TIME),
                col("name", TEXT),
                col("task_run_id", UUID));
        flowRunPointers = BatchWriter.statement(
                c,
                d,
                "flow_run",
                "UPDATE flow_run SET state_id = ?, parent_task_run_id = ? WHERE id = ?",
                UUID,
                UUID,
                UUID);
        log = BatchWriter.insert(
                c,
                d,
                "log",
                BATCH_ROWS,
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME),
                col("name", TEXT),
                col("level", INT),
                col("flow_run_id", UUID),
                col("task_run_id", UUID),
                col("message", TEXT),
                col("timestamp", TIME));
        events = BatchWriter.insert(
                c,
                d,
                "events",
                BATCH_ROWS,
                col("occurred", TIME),
                col("event", TEXT),
                col("resource_id", TEXT),
                col("resource", JSONB),
                col("related_resource_ids", JSONB),
                col("related", JSONB),
                col("payload", JSONB),
                col("received", TIME),
                col("recorded", TIME),
                col("follows", UUID),
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME));
        eventResources = BatchWriter.insert(
                c,
                d,
                "event_resources",
                BATCH_ROWS,
                col("occurred", TIME),
                col("resource_id", TEXT),
                col("resource_role", TEXT),
                col("resource", JSON),
                col("event_id", UUID),
                col("id", UUID),
                col("created", TIME),
                col("updated", TIME));
        inKeyOrder = List.of(
                flow,
                deployment,
                artifact,
                flowRun,
                flowRunState,
                flowRunInput,
                taskRun,
                taskRunState,
                flowRunPointers,
                log,
                events,
                eventResources);
        tables = List.of(
                flow,
                deployment,
                flowRun,
                flowRunState,
                flowRunInput,
                taskRun,
                taskRunState,
                log,
                artifact,
                events,
                eventResources);
    }

    /** True once a batch that only {@link #flushAll()} may execute has reached its size. */
    boolean batchFull() {
        for (BatchWriter writer : inKeyOrder) {
            if (writer.pending() >= BATCH_ROWS) {
                return true;
            }
        }
        return false;
    }

    void flushAll() throws SQLException {
        for (BatchWriter writer : inKeyOrder) {
            writer.flush();
        }
    }

    long rows() {
        return tables.stream().mapToLong(BatchWriter::rows).sum();
    }

    Map<String, Long> rowsByTable() {
        Map<String, Long> rows = new LinkedHashMap<>();
        tables.forEach(writer -> rows.put(writer.table(), writer.rows()));
        return rows;
    }

    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (BatchWriter writer : inKeyOrder) {
            try {
                writer.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
