package io.runsweep.jobs.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What each job is doing and last did, for /status: written by job threads, read by HTTP threads. */
public final class JobStates implements JobObserver {
    /**
     * @param runningSince when the run under way started; empty when idle
     * @param runs runs finished since the daemon started, skipped ones included
     */
    public record JobState(
            String job,
            String schedule,
            Optional<Instant> runningSince,
            Optional<JobRun> lastRun,
            Optional<Instant> lastSuccess,
            long runs) {}

    private final Map<String, JobState> states = new LinkedHashMap<>();

    public synchronized void register(ScheduledJob job) {
        states.put(
                job.name(),
                new JobState(job.name(), job.schedule(), Optional.empty(), Optional.empty(), Optional.empty(), 0));
    }

    @Override
    public synchronized void started(String job, Instant at) {
        JobState s = states.get(job);
        states.put(job, new JobState(job, s.schedule(), Optional.of(at), s.lastRun(), s.lastSuccess(), s.runs()));
    }

    @Override
    public synchronized void finished(JobRun run) {
        JobState s = states.get(run.job());
        Optional<Instant> success =
                run.outcome() == JobOutcome.SUCCEEDED ? Optional.of(run.endedAt()) : s.lastSuccess();
        states.put(
                run.job(),
                new JobState(run.job(), s.schedule(), Optional.empty(), Optional.of(run), success, s.runs() + 1));
    }

    /** When {@code job} last succeeded since the daemon started; what job-health alerts watch. */
    public synchronized Optional<Instant> lastSuccess(String job) {
        JobState s = states.get(job);
        return s == null ? Optional.empty() : s.lastSuccess();
    }

    /** Every registered job, in the order registered. */
    public synchronized List<JobState> states() {
        return new ArrayList<>(states.values());
    }
}
