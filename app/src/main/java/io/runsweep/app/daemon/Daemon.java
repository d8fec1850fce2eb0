package io.runsweep.app.daemon;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.config.DaemonSettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.schedule.ChecksJob;
import io.runsweep.jobs.schedule.JobExecutor;
import io.runsweep.jobs.schedule.JobLocks;
import io.runsweep.jobs.schedule.JobMetrics;
import io.runsweep.jobs.schedule.JobObserver;
import io.runsweep.jobs.schedule.JobStates;
import io.runsweep.jobs.schedule.ScheduledJob;
import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseOpenException;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runsweep daemon}: serves HTTP at once, reaches the database (retrying until it answers), then
 * runs every job on its schedule until {@link #stop}. Two pools: the jobs' own, and a small one for the
 * locks between daemons and the health query, so that neither ever waits behind a long purge.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonSettings settings;
    private final DatabaseUrl url;
    private final ConnectionOptions jobOptions;
    private final Clock clock;
    private final DaemonJobs jobs;
    /** Raised as the daemon begins to stop: cancels what its jobs may cut off, and ends each purge after its batch. */
    private final StopSignal jobsStop = new StopSignal();

    private final List<JobObserver> extraObservers;
    private final Instant startedAt;
    private final DaemonMeters meters = new DaemonMeters();
    private final DatabaseHealth health = new DatabaseHealth(meters.registry());
    private final JobStates history = new JobStates();
    private final QuartzJobs quartz;
    private final ScheduledExecutorService healthThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runsweep-health");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private HttpEndpoints http;
    private Database jobsDatabase;
    private Database daemonDatabase;
    private volatile ChecksJob checksJob;

    private Daemon(
            DaemonSettings settings,
            DatabaseUrl url,
            ConnectionOptions jobOptions,
            Clock clock,
            DaemonJobs jobs,
            List<JobObserver> extraObservers) {
        this.settings = settings;
        this.url = url;
        this.jobOptions = jobOptions;
        this.clock = clock;
        this.jobs = jobs;
        this.extraObservers = List.copyOf(extraObservers);
        this.startedAt = clock.instant();
        this.quartz = new QuartzJobs(settings.threads());
    }

    /**
     * Starts serving HTTP (when enabled) and reaching for the database; returns at once.
     *
     * @param extraObservers told of every job run besides the status page and the metrics
     */
    public static Daemon start(
            DaemonSettings settings,
            DatabaseUrl url,
            ConnectionOptions jobOptions,
            Clock clock,
            DaemonJobs jobs,
            List<JobObserver> extraObservers)
            throws IOException {
        Daemon daemon = new Daemon(settings, url, jobOptions, clock, jobs, extraObservers);
        if (settings.http().enabled()) {
            daemon.http = HttpEndpoints.start(settings.http(), daemon.meters.registry(), daemon.health, daemon::status);
        }
        LOG.info(
                "runsweep daemon started: database {}, {}",
                url.redacted(),
                daemon.http == null
                        ? "HTTP off (runsweep.http.enabled = false)"
                        : "HTTP on " + settings.http().host() + ":" + daemon.http.port() + " (/metrics, /health/live,"
                                + " /health/ready, /status)");
        daemon.healthThread.scheduleWithFixedDelay(
                daemon::checkDatabase, 0, settings.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
        return daemon;
    }

    /** The port HTTP listens on; -1 when HTTP is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Every meter the daemon exports, also after it stopped. */
    public MeterRegistry registry() {
        return meters.registry();
    }

    public String status() {
        return StatusPage.render(
                startedAt,
                health.state(),
                history.states(),
                quartz::nextFireTime,
                Optional.ofNullable(checksJob).map(ChecksJob::partitions).orElse(List.of()));
    }

    /** Opens the databases on the first success, then asks {@code SELECT 1} each time. */
    private void checkDatabase() {
        if (stopping) {
            return;
        }
        try {
            if (daemonDatabase == null) {
                openAndSchedule();
            }
            if (daemonDatabase != null) {
                health.probe(daemonDatabase, settings.healthTimeout());
            }
        } catch (RuntimeException e) {
            // Pools says what failed and why in one message; its cause chain would only repeat it.
            String reason = e instanceof DatabaseOpenException
                    ? "cannot reach the database: " + e.getMessage()
                    : "cannot start: " + Errors.chain(e);
            if (!stopping && !reason.equals(health.state().reason())) {
                LOG.warn("{}; retrying every {}", reason, shown(settings.healthInterval()));
            }
            health.down(reason);
        }
    }

    private void openAndSchedule() {
        Database daemonDb = Databases.open(url, daemonOptions());
        Database jobsDb;
        try {
            jobsDb = Databases.open(url, jobOptions);
        } catch (RuntimeException e) {
            daemonDb.close();
            throw e;
        }
        MicrometerMetricsTrackerFactory hikari = new MicrometerMetricsTrackerFactory(meters.registry());
        daemonDb.pool().setMetricsTrackerFactory(hikari);
        jobsDb.pool().setMetricsTrackerFactory(hikari);
        synchronized (this) {
            if (stopping) {
                jobsDb.close();
                daemonDb.close();
                return;
            }
            daemonDatabase = daemonDb;
            jobsDatabase = jobsDb;
            try {
                schedule(jobs.create(jobsDb, meters.registry(), history, jobsStop));
            } catch (RuntimeException e) {
                // Never ready without jobs: close, and let the next health check try again from the start.
                closeDatabases();
                daemonDatabase = null;
                jobsDatabase = null;
                throw e;
            }
        }
    }

    /** Locks are held for a job's whole run, one per thread, plus one connection for the health query. */
    private ConnectionOptions daemonOptions() {
        Duration connect = settings.healthTimeout().compareTo(Duration.ofMillis(250)) < 0
                ? Duration.ofMillis(250)
                : settings.healthTimeout();
        return jobOptions
                .withPoolName("runsweep-daemon")
                .withPoolSize(settings.threads() + 1)
                .withConnectTimeout(connect)
                .withReadOnly(true);
    }

    private void schedule(List<ScheduledJob> toRun) {
        Set<String> names = new HashSet<>();
        for (ScheduledJob job : toRun) {
            if (!names.add(job.name())) {
                throw new IllegalStateException("two jobs are named '" + job.name() + "'");
            }
        }
        toRun.stream()
                .filter(ChecksJob.class::isInstance)
                .map(ChecksJob.class::cast)
                .findFirst()
                .ifPresent(job -> checksJob = job);
        JobMetrics metrics = new JobMetrics(meters.registry());
        toRun.forEach(job -> {
            history.register(job);
            metrics.register(job.name());
        });
        List<JobObserver> observers = new ArrayList<>(List.of(history, metrics));
        observers.addAll(extraObservers);
        JobExecutor executor = new JobExecutor(new JobLocks(daemonDatabase), () -> stopping, clock, observers);
        try {
            quartz.start(toRun, executor);
        } catch (org.quartz.SchedulerException e) {
            throw new IllegalStateException("could not schedule the jobs: " + e.getMessage(), e);
        }
        LOG.info(
                "database reachable; {}",
                toRun.isEmpty()
                        ? "no job is enabled: set runsweep.preset or define runsweep.policies"
                        : "scheduled "
                                + toRun.stream()
                                        .map(j -> j.name() + " (" + j.schedule() + ")")
                                        .collect(Collectors.joining(", ")));
    }

    /**
     * Starts no new job, lets the runs under way end after their current batch (at most shutdown-timeout),
     * then closes the pools (rolling back any batch still going) and the HTTP server. Safe to call twice.
     */
    public void stop() {
        synchronized (this) {
            if (stopping) {
                awaitStopped();
                return;
            }
            stopping = true;
        }
        jobsStop.raise("the daemon stopping");
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        LOG.info(
                "stopping: no new job starts; waiting up to {} for the batch under way",
                shown(settings.shutdownTimeout()));
        health.stopping();
        healthThread.shutdownNow();
        try {
            if (!quartz.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                LOG.warn(
                        "a job was still running after runsweep.daemon.shutdown-timeout ({}); closing its connection"
                                + " rolls back its batch under way",
                        shown(settings.shutdownTimeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeDatabases();
        if (http != null) {
            http.close();
        }
        meters.close();
        LOG.info("stopped");
        stopped.countDown();
    }

    private synchronized void closeDatabases() {
        Optional.ofNullable(jobsDatabase).ifPresent(Database::close);
        Optional.ofNullable(daemonDatabase).ifPresent(Database::close);
    }

    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A setting's duration as log lines show it: {@code 30 s}, {@code 500 ms}. */
    private static String shown(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
