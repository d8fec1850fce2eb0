package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.app.daemon.QuartzJobs;
import io.runsweep.jobs.schedule.JobExecutor;
import io.runsweep.jobs.schedule.JobLocks;
import io.runsweep.jobs.schedule.JobResult;
import io.runsweep.jobs.schedule.JobRun;
import io.runsweep.jobs.schedule.ScheduledJob;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Quartz adapter: a job never overlaps itself, and slots missed while it ran fire once, not each. */
class MisfireTest {
    private static final Duration MISFIRE_THRESHOLD = Duration.ofMillis(1);

    @TempDir
    Path dir;

    @Test
    void slotsMissedWhileTheJobRanFireOnceThenTheScheduleGoesOn() throws Exception {
        List<JobRun> runs = new CopyOnWriteArrayList<>();
        QuartzJobs quartz = new QuartzJobs(2);
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            JobExecutor executor =
                    new JobExecutor(new JobLocks(database), () -> false, Clock.systemUTC(), List.of(runs::add));
            quartz.start(List.of(new FirstRunBlocks()), executor);
            Await.until(Duration.ofSeconds(30), "5 runs", runs::size, n -> n >= 5);
        } finally {
            quartz.shutdown(Duration.ofSeconds(10));
        }

        JobRun blocked = runs.get(0);
        assertTrue(blocked.duration().compareTo(Duration.ofMillis(3500)) >= 0);
        for (int i = 1; i < runs.size(); i++) {
            JobRun previous = runs.get(i - 1);
            JobRun run = runs.get(i);
            assertTrue(run.startedAt().toEpochMilli() >= previous.endedAt().toEpochMilli(), "runs overlapped: " + runs);
            // A replayed slot would carry a fire time from before the previous run ended.
            assertTrue(
                    !missedWhile(previous, run),
                    "run " + i + " replays a slot missed while run " + (i - 1) + " ran: " + runs);
        }
        assertEquals(
                0,
                runs.stream()
                        .filter(r -> r.scheduledAt().isAfter(blocked.scheduledAt()) && missedWhile(blocked, r))
                        .count(),
                "the 3 missed slots were not replayed");
    }

    /**
     * Whether {@code run} fired for a slot that passed while {@code previous} ran. A slot the previous run's end
     * reached by less than Quartz's misfire threshold (1 ms, set in QuartzJobs) is on time, not missed: it fires
     * with its own time once the run ends (a run that ended 0.3 ms after a slot made this test fail on a busy
     * machine).
     */
    private static boolean missedWhile(JobRun previous, JobRun run) {
        return run.scheduledAt().isBefore(previous.endedAt().minus(MISFIRE_THRESHOLD));
    }

    /** Every second; the first run takes 3.5 s, so 3 slots pass while it runs. */
    private static final class FirstRunBlocks implements ScheduledJob {
        private final AtomicInteger runs = new AtomicInteger();

        @Override
        public String name() {
            return "blocks-once";
        }

        @Override
        public String schedule() {
            return "* * * * * ?";
        }

        @Override
        public JobResult run(BooleanSupplier stopRequested) throws Exception {
            if (runs.getAndIncrement() == 0) {
                Thread.sleep(3500);
            }
            return JobResult.succeeded(Map.of(), "ran");
        }
    }
}
