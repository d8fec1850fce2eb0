package io.runsweep.jobs.seed;

import io.runsweep.jobs.seed.Flows.FlowRef;
import java.util.List;
import java.util.UUID;

/** One seeded flow run, as its children need to know it. */
record Run(UUID id, String name, FlowRef flow, Timeline timeline, List<UUID> taskRunIds) {}
