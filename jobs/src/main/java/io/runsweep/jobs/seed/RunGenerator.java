package io.runsweep.jobs.seed;

import io.runsweep.jobs.seed.Flows.FlowRef;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes flow runs one at a time, each with everything that hangs off it. Runs are spread
 * evenly over the window (run i ends, or last shows life, in the i-th of n equal slices), so they
 * come out in time order and a subflow's parent task belongs to a run just before it.
 */
final class RunGenerator {
    private static final double SUBFLOW = 0.05;
    private static final double END_TIME_LOST = 0.01;
    private static final double ARTIFACT = 0.10;
    private static final double INPUT = 0.02;
    private static final int AUTONOMOUS_EVERY = 200;
    private static final String[] ADJECTIVES = {
        "crimson", "quiet", "brave", "amber", "lucky", "nimble", "stoic", "vivid", "gentle", "rapid",
    };
    private static final String[] ANIMALS = {
        "falcon", "otter", "lynx", "heron", "badger", "marmot", "ibis", "gecko", "walrus", "finch",
    };
    private static final String[] ARTIFACT_TYPES = {"markdown", "table", "result"};

    private final SeedTables tables;
    private final List<FlowRef> flows;
    private final SplittableRandom rnd;
    private final TaskRuns taskRuns;
    private final Activity activity;
    private final long windowStart;
    private final long span;
    private final int flowRuns;
    private final UUID[] recentTaskRuns = new UUID[64];
    private int recentCount;
    private int recentNext;

    RunGenerator(
            SeedOptions options,
            SeedTables tables,
            List<FlowRef> flows,
            SplittableRandom rnd,
            long windowStart,
            long now) {
        this.tables = tables;
        this.flows = flows;
        this.rnd = rnd;
        this.taskRuns = new TaskRuns(tables, rnd, options.taskRunsPerFlowRun());
        this.activity = new Activity(options, tables, rnd, windowStart, now);
        this.windowStart = windowStart;
        this.span = now - windowStart;
        this.flowRuns = options.flowRuns();
    }

    void flowRun(int index) throws SQLException {
        long until = windowStart + (long) ((index + rnd.nextDouble()) * span / flowRuns);
        StateType type = StateType.pick(rnd);
        Timeline timeline = Timeline.plan(type, until, type.terminal() && rnd.nextDouble() < END_TIME_LOST, rnd);
        FlowRef flow = flows.get(rnd.nextInt(flows.size()));
        UUID id = Ids.uuid(rnd);
        String name = ADJECTIVES[rnd.nextInt(ADJECTIVES.length)] + '-' + ANIMALS[rnd.nextInt(ANIMALS.length)];
        int runCount = timeline.start() == null ? 0 : 1;
        tables.flowRun.add(
                id,
                timeline.created(),
                timeline.stateTimestamp(),
                name,
                type.name(),
                runCount,
                timeline.expected(),
                timeline.start(),
                timeline.end(),
                timeline.totalRunTime(),
                "[]",
                flow.id(),
                flow.deploymentId(),
                timeline.stateName(),
                timeline.stateTimestamp());

        Run run = new Run(id, name, flow, timeline, taskRuns.forFlowRun(id, timeline));
        UUID stateId = states(run, artifact(run));
        input(run);
        tables.flowRunPointers.add(stateId, subflowParent(), id);
        remember(run.taskRunIds());
        activity.logs(run);
        activity.events(run);
        // Mid-interval rather than at index 0, so that even a few hundred runs include some.
        if (index % AUTONOMOUS_EVERY == AUTONOMOUS_EVERY / 2 - 1) {
            activity.autonomousTaskLog(taskRuns.autonomous(until), until);
        }
    }

    /** Writes the run's states, the last one carrying {@code resultArtifactId}; returns its id. */
    private UUID states(Run run, UUID resultArtifactId) throws SQLException {
        Timeline timeline = run.timeline();
        UUID stateId = null;
        for (int i = 0; i < timeline.types().length; i++) {
            boolean last = i == timeline.types().length - 1;
            stateId = Ids.uuid(rnd);
            long at = timeline.stamps()[i];
            tables.flowRunState.add(
                    stateId,
                    at,
                    at,
                    timeline.types()[i].name(),
                    at,
                    timeline.names()[i],
                    run.id(),
                    last ? resultArtifactId : null);
        }
        return stateId;
    }

    /** About one run in ten has an artifact; a "result" one is the final state's result. */
    private UUID artifact(Run run) throws SQLException {
        if (rnd.nextDouble() >= ARTIFACT) {
            return null;
        }
        UUID id = Ids.uuid(rnd);
        String type = ARTIFACT_TYPES[rnd.nextInt(ARTIFACT_TYPES.length)];
        List<UUID> tasks = run.taskRunIds();
        UUID taskRunId = tasks.isEmpty() || rnd.nextBoolean() ? null : tasks.get(rnd.nextInt(tasks.size()));
        boolean result = type.equals("result");
        String key = result ? null : run.flow().name() + "-summary";
        String data = switch (type) {
            case "markdown" -> "\"# Summary\\n" + rnd.nextInt(10_000) + " rows processed\"";
            case "table" -> "[{\"rows\": " + rnd.nextInt(10_000) + "}]";
            default -> "{\"storage_key\": \"results/" + Ids.uuid(rnd) + "\"}";
        };
        long at = run.timeline().until();
        tables.artifact.add(id, at, at, key, type, data, taskRunId, run.id());
        return result ? id : null;
    }

    private void input(Run run) throws SQLException {
        if (rnd.nextDouble() < INPUT) {
            long at = run.timeline().from();
            tables.flowRunInput.add(Ids.uuid(rnd), at, at, "paused-1-response", "{\"approved\": true}", run.id());
        }
    }

    /** A task of one of the last runs: a subflow is called from a task that is running now. */
    private UUID subflowParent() {
        if (recentCount == 0 || rnd.nextDouble() >= SUBFLOW) {
            return null;
        }
        return recentTaskRuns[rnd.nextInt(recentCount)];
    }

    private void remember(List<UUID> taskRunIds) {
        for (UUID id : taskRunIds) {
            recentTaskRuns[recentNext] = id;
            recentNext = (recentNext + 1) % recentTaskRuns.length;
            recentCount = Math.min(recentCount + 1, recentTaskRuns.length);
        }
    }
}
