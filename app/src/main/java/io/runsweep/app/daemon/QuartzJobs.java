package io.runsweep.app.daemon;

import io.runsweep.jobs.schedule.JobExecutor;
import io.runsweep.jobs.schedule.ScheduledJob;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The one place Quartz is used: each {@link ScheduledJob} becomes a Quartz job with a cron trigger, kept in
 * memory (RAMJobStore), run through a {@link JobExecutor}. A job never overlaps itself, and fire times
 * missed while it ran (or while every thread was busy) fire once, at once, not once per missed slot.
 */
public final class QuartzJobs {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Scheduler scheduler;
    private final Map<String, ScheduledJob> jobs = new LinkedHashMap<>();

    public QuartzJobs(int threads) {
        try {
            scheduler = new StdSchedulerFactory(properties(threads)).getScheduler();
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not create the scheduler: " + e.getMessage(), e);
        }
    }

    /**
     * A misfire threshold of 1 ms makes any fire time that could not fire on time (the job was still running,
     * every thread was busy) a misfire, which "fire once now" turns into one run as soon as it can. Quartz's
     * default of 60 s would instead replay each missed slot of a frequent schedule, one after another.
     */
    private static Properties properties(int threads) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "runsweep-" + INSTANCES.incrementAndGet());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "runsweep-job");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "1");
        return p;
    }

    /** Schedules every job and starts firing them; a job that {@link ScheduledJob#runsAtStart} fires at once too. */
    public void start(List<ScheduledJob> toRun, JobExecutor executor) throws SchedulerException {
        toRun.forEach(job -> jobs.put(job.name(), job));
        scheduler.setJobFactory((bundle, s) ->
                new RunJob(jobs.get(bundle.getJobDetail().getKey().getName()), executor));
        // From the next whole second: Quartz looks for a first fire time from a second before the start, and
        // a slot just past would count as missed and fire at once.
        Date start = Date.from(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
        for (ScheduledJob job : toRun) {
            Trigger trigger = TriggerBuilder.newTrigger()
                    .withIdentity(job.name())
                    .startAt(start)
                    .withSchedule(CronScheduleBuilder.cronSchedule(job.schedule())
                            .withMisfireHandlingInstructionFireAndProceed())
                    .build();
            scheduler.scheduleJob(
                    JobBuilder.newJob(RunJob.class).withIdentity(job.name()).build(), trigger);
        }
        scheduler.start();
        for (ScheduledJob job : toRun) {
            if (job.runsAtStart()) {
                scheduler.triggerJob(JobKey.jobKey(job.name()));
            }
        }
    }

    public Optional<Instant> nextFireTime(String job) {
        try {
            return scheduler.getTriggersOfJob(JobKey.jobKey(job)).stream()
                    .map(Trigger::getNextFireTime)
                    .filter(java.util.Objects::nonNull)
                    .map(Date::toInstant)
                    .min(Instant::compareTo);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /**
     * Fires nothing more and waits, at most {@code timeout}, for the runs under way to end.
     *
     * @return false when some run was still going at the end of the wait
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        try {
            scheduler.standby();
        } catch (SchedulerException e) {
            // Already shut down: nothing left to stop.
            return true;
        }
        Thread waiter = new Thread(
                () -> {
                    try {
                        scheduler.shutdown(true);
                    } catch (SchedulerException e) {
                        // Shutting down an already stopped scheduler: nothing to wait for.
                    }
                },
                "runsweep-scheduler-shutdown");
        waiter.setDaemon(true);
        waiter.start();
        waiter.join(Math.max(1, timeout.toMillis()));
        return !waiter.isAlive();
    }

    /** The Quartz side of one job. The annotation applies per job: two jobs still run side by side. */
    @DisallowConcurrentExecution
    public static final class RunJob implements Job {
        private final ScheduledJob job;
        private final JobExecutor executor;

        RunJob(ScheduledJob job, JobExecutor executor) {
            this.job = job;
            this.executor = executor;
        }

        @Override
        public void execute(JobExecutionContext context) {
            executor.execute(job, context.getScheduledFireTime().toInstant());
        }
    }
}
