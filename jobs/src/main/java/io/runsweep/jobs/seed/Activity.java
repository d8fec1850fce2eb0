package io.runsweep.jobs.seed;

import io.runsweep.jobs.seed.Flows.FlowRef;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes what a run leaves behind without a foreign key: log lines, and events with their
 * event_resources rows. Nothing written here lies after {@code now}.
 */
final class Activity {
    private static final int ORPHAN_EVERY = 100;
    private static final String[] TAGS = {"etl", "nightly", "team-data", "priority-low"};

    private final SeedTables tables;
    private final SplittableRandom rnd;
    private final int logsPerRun;
    private final int eventsPerRun;
    private final int resourcesPerEvent;
    private final long windowStart;
    private final long now;
    private final Map<UUID, Related> relatedByFlow = new HashMap<>();
    private long runLogs;
    private long orphanLogs;

    /** One event resource: its id, its role in the event, its JSON. */
    private record Resource(String id, String role, String json) {}

    /** An event's related resources, and the two JSON columns of events that list them. */
    private record Related(List<Resource> resources, String json, String idsJson) {
        static Related of(List<Resource> resources) {
            return new Related(
                    resources,
                    resources.stream().map(Resource::json).collect(Collectors.joining(", ", "[", "]")),
                    resources.stream().map(r -> '"' + r.id() + '"').collect(Collectors.joining(", ", "[", "]")));
        }
    }

    Activity(SeedOptions options, SeedTables tables, SplittableRandom rnd, long windowStart, long now) {
        this.tables = tables;
        this.rnd = rnd;
        this.logsPerRun = options.logsPerFlowRun();
        this.eventsPerRun = options.eventsPerFlowRun();
        this.resourcesPerEvent = options.resourcesPerEvent();
        this.windowStart = windowStart;
        this.now = now;
    }

    /**
     * The run's log lines, spread over its active time; every other one also names a task run.
     * Then, to keep one orphan per hundred run logs, lines of runs that no longer exist: what
     * deleting a run without its logs leaves behind.
     */
    void logs(Run run) throws SQLException {
        Timeline timeline = run.timeline();
        List<UUID> tasks = run.taskRunIds();
        for (int i = 0; i < logsPerRun; i++) {
            long at = timeline.from() + (timeline.until() - timeline.from()) * (i + 1) / (logsPerRun + 1);
            UUID taskRunId = tasks.isEmpty() || i % 2 == 0 ? null : tasks.get(i * tasks.size() / logsPerRun);
            boolean last = i == logsPerRun - 1;
            log(run.id(), taskRunId, level(timeline.type(), last), message(run, i, last, taskRunId != null), at);
        }
        runLogs += logsPerRun;
        while (orphanLogs < runLogs / ORPHAN_EVERY) {
            log(
                    Ids.uuid(rnd),
                    null,
                    20,
                    "Finished in state Completed()",
                    windowStart + rnd.nextLong(now - windowStart));
            orphanLogs++;
        }
    }

    void autonomousTaskLog(UUID taskRunId, long at) throws SQLException {
        log(null, taskRunId, 20, "Finished in state Completed()", at);
    }

    /** Events at the run's state changes, then heartbeats; each followed by its resources. */
    void events(Run run) throws SQLException {
        Timeline timeline = run.timeline();
        String resourceId = "prefect.flow-run." + run.id();
        String resource =
                "{\"prefect.resource.id\": \"" + resourceId + "\", \"prefect.resource.name\": \"" + run.name() + "\"}";
        String primary = resourceJson(resourceId, "");
        Related related = related(run.flow());
        int states = timeline.types().length;
        UUID previous = null;
        for (int i = 0; i < eventsPerRun; i++) {
            boolean change = i < states;
            long occurred = change
                    ? timeline.stamps()[i]
                    : timeline.from()
                            + (timeline.until() - timeline.from()) * (i - states + 1) / (eventsPerRun - states + 1);
            String event = "prefect.flow-run." + (change ? timeline.names()[i] : "heartbeat");
            String payload = change
                    ? "{\"validated_state\": {\"type\": \"" + timeline.types()[i] + "\", \"name\": \""
                            + timeline.names()[i] + "\"}}"
                    : "{}";
            long received = Math.min(now, occurred + 1_000 + rnd.nextLong(500_000));
            long recorded = Math.min(now, received + 1_000 + rnd.nextLong(100_000));
            UUID eventId = Ids.uuid(rnd);
            tables.events.add(
                    occurred,
                    event,
                    resourceId,
                    resource,
                    related.idsJson(),
                    related.json(),
                    payload,
                    received,
                    recorded,
                    previous,
                    eventId,
                    recorded,
                    recorded);
            tables.eventResources.add(occurred, resourceId, "", primary, eventId, Ids.uuid(rnd), recorded, recorded);
            for (Resource r : related.resources()) {
                tables.eventResources.add(
                        occurred, r.id(), r.role(), r.json(), eventId, Ids.uuid(rnd), recorded, recorded);
            }
            previous = eventId;
        }
    }

    private void log(UUID flowRunId, UUID taskRunId, int level, String message, long at) throws SQLException {
        long created = Math.min(now, at + 1_000 + rnd.nextLong(2_000_000));
        String name = taskRunId == null ? "prefect.flow_runs" : "prefect.task_runs";
        tables.log.add(Ids.uuid(rnd), created, created, name, level, flowRunId, taskRunId, message, at);
    }

    private int level(StateType type, boolean last) {
        if (last && (type == StateType.FAILED || type == StateType.CRASHED)) {
            return 40;
        }
        int roll = rnd.nextInt(100);
        return roll < 10 ? 10 : roll < 14 ? 30 : 20;
    }

    private static String message(Run run, int index, boolean last, boolean task) {
        if (index == 0) {
            return "Beginning flow run '" + run.name() + "' for flow '"
                    + run.flow().name() + "'";
        }
        if (last && run.timeline().type().terminal()) {
            return "Finished in state " + run.timeline().stateName() + "()";
        }
        return task ? "Task run step " + index + " finished" : "Processed batch " + index;
    }

    /** The first resourcesPerEvent - 1 of: the flow, its deployment, tags. Same for every run of a flow. */
    private Related related(FlowRef flow) {
        return relatedByFlow.computeIfAbsent(flow.id(), id -> {
            List<Resource> all = new ArrayList<>();
            all.add(resource("prefect.flow." + flow.id(), "flow"));
            if (flow.deploymentId() != null) {
                all.add(resource("prefect.deployment." + flow.deploymentId(), "deployment"));
            }
            for (int i = 0; all.size() < resourcesPerEvent - 1; i++) {
                String tag = i < TAGS.length ? TAGS[i] : "tag-" + i;
                all.add(resource("prefect.tag." + tag, "tag"));
            }
            return Related.of(List.copyOf(all.subList(0, resourcesPerEvent - 1)));
        });
    }

    private static Resource resource(String id, String role) {
        return new Resource(id, role, resourceJson(id, role));
    }

    private static String resourceJson(String id, String role) {
        return "{\"prefect.resource.id\": \"" + id + "\", \"prefect.resource.role\": \"" + role + "\"}";
    }
}
