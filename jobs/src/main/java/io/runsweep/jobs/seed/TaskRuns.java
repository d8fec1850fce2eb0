package io.runsweep.jobs.seed;

import static io.runsweep.jobs.seed.Timestamps.SECOND;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** Writes task runs, each with one or two states, the last one matching its state_type. */
final class TaskRuns {
    private static final String[] KEYS = {
        "extract", "transform", "load", "validate", "notify", "fetch-page", "aggregate", "publish",
    };
    private static final long MILLI = 1_000;

    private final SeedTables tables;
    private final SplittableRandom rnd;
    private final int perFlowRun;

    TaskRuns(SeedTables tables, SplittableRandom rnd, int perFlowRun) {
        this.tables = tables;
        this.rnd = rnd;
        this.perFlowRun = perFlowRun;
    }

    /**
     * The run's task runs, one after another in its active time; none for a run that never
     * started. Runs that ended badly end on a task that did the same; unfinished ones on a task
     * still running.
     */
    List<UUID> forFlowRun(UUID flowRunId, Timeline timeline) throws SQLException {
        if (timeline.start() == null || perFlowRun == 0) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>(perFlowRun);
        long from = timeline.from();
        // A started run is active for at least 2 s, so every slice is longer than a microsecond.
        long active = timeline.until() - from;
        for (int i = 0; i < perFlowRun; i++) {
            boolean last = i == perFlowRun - 1;
            StateType type = last ? lastTaskType(timeline.type()) : StateType.COMPLETED;
            ids.add(taskRun(flowRunId, i, type, from + active * i / perFlowRun, from + active * (i + 1) / perFlowRun));
        }
        return ids;
    }

    /** A task run submitted on its own, outside any flow run (flow_run_id NULL). */
    UUID autonomous(long until) throws SQLException {
        long from = until - SECOND - rnd.nextLong(60 * SECOND);
        StateType type = rnd.nextInt(10) == 0 ? StateType.FAILED : StateType.COMPLETED;
        return taskRun(null, 0, type, from, until);
    }

    private UUID taskRun(UUID flowRunId, int index, StateType type, long from, long to) throws SQLException {
        UUID id = Ids.uuid(rnd);
        String key = KEYS[rnd.nextInt(KEYS.length)];
        boolean twoStates = rnd.nextBoolean();
        UUID stateId;
        long stateAt;
        if (type.terminal()) {
            if (twoStates) {
                state(id, StateType.RUNNING, from);
            }
            stateId = state(id, type, to);
            stateAt = to;
        } else {
            if (twoStates) {
                state(id, StateType.PENDING, from - MILLI);
            }
            stateId = state(id, StateType.RUNNING, from);
            stateAt = from;
        }
        String name = key + '-' + Integer.toHexString(0x100 + rnd.nextInt(0xF00));
        String taskKey = key + '-' + Integer.toHexString(key.hashCode());
        Long end = type.terminal() ? to : null;
        long runTime = type.terminal() ? to - from : 0;
        tables.taskRun.add(
                id,
                from - MILLI,
                stateAt,
                name,
                type.name(),
                1,
                from,
                from,
                end,
                runTime,
                taskKey,
                Integer.toString(index),
                flowRunId,
                stateId,
                type.title(),
                stateAt,
                1);
        return id;
    }

    private UUID state(UUID taskRunId, StateType type, long at) throws SQLException {
        UUID id = Ids.uuid(rnd);
        tables.taskRunState.add(id, at, at, type.name(), at, type.title(), taskRunId);
        return id;
    }

    private static StateType lastTaskType(StateType flowRunType) {
        return switch (flowRunType) {
            case COMPLETED, FAILED, CRASHED, CANCELLED -> flowRunType;
            default -> StateType.RUNNING;
        };
    }
}
