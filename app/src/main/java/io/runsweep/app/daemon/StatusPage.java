package io.runsweep.app.daemon;

import io.runsweep.jobs.checks.PartitionCheck;
import io.runsweep.jobs.common.JsonWriter;
import io.runsweep.jobs.partition.PartitionPlan;
import io.runsweep.jobs.schedule.JobRun;
import io.runsweep.jobs.schedule.JobStates.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * /status: the daemon's readiness; for every job, its schedule, its next fire time and its last run; and for every
 * partition set, the partitions past retention with their rows and bytes, as the checks last saw them.
 */
public final class StatusPage {
    private StatusPage() {}

    public static String render(
            Instant startedAt,
            DatabaseHealth.State health,
            List<JobState> jobs,
            Function<String, Optional<Instant>> nextFireTime,
            List<PartitionCheck> partitions) {
        JsonWriter json = new JsonWriter()
                .beginObject()
                .field("started_at", startedAt.toString())
                .field("ready", health.ready())
                .field("reason", health.reason())
                .field("database_up", health.databaseUp())
                .name("jobs")
                .beginArray();
        for (JobState job : jobs) {
            json.beginObject()
                    .field("name", job.job())
                    .field("schedule", job.schedule())
                    .field("next_fire_time", text(nextFireTime.apply(job.job())))
                    .field("running_since", text(job.runningSince()))
                    .field("runs", job.runs())
                    .field("last_success_at", text(job.lastSuccess()))
                    .name("last_run");
            job.lastRun().ifPresentOrElse(run -> run(json, run), () -> json.value(null));
            json.endObject();
        }
        json.endArray().name("partitions").beginArray();
        for (PartitionCheck set : partitions) {
            json.beginObject()
                    .field("set", set.set())
                    .field("table", set.table())
                    .field("expire_before", set.expireBefore().toString())
                    .name("past_retention")
                    .beginArray();
            for (PartitionPlan.Expiring e : set.expiring()) {
                json.beginObject()
                        .field("partition", e.partition())
                        .field("action", e.fate())
                        .field("rows", e.rows())
                        .field("rows_estimated", e.rowsEstimated())
                        .field("bytes", e.bytes())
                        .endObject();
            }
            json.endArray().endObject();
        }
        return json.endArray().endObject() + "\n";
    }

    private static void run(JsonWriter json, JobRun run) {
        json.beginObject()
                .field("scheduled_at", run.scheduledAt().toString())
                .field("started_at", run.startedAt().toString())
                .field("duration_seconds", run.duration().toNanos() / 1e9)
                .field("outcome", run.outcome().label())
                .field("rows_deleted", run.result().totalRows())
                .name("rows")
                .beginObject();
        for (Map.Entry<String, Long> table : run.result().rowsDeleted().entrySet()) {
            json.field(table.getKey(), table.getValue());
        }
        json.endObject()
                .field("summary", run.result().summary())
                .field("error", run.result().error().orElse(null))
                .endObject();
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }
}
