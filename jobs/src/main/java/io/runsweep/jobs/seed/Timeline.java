package io.runsweep.jobs.seed;

import static io.runsweep.jobs.seed.Timestamps.MINUTE;
import static io.runsweep.jobs.seed.Timestamps.SECOND;

import java.util.SplittableRandom;

/**
 * When one flow run did what: its state history (2 or 3 states, the last of the run's type) and
 * the times derived from it. {@code until}, the run's place in the spread of runs, is its last
 * moment of activity: the end of a terminal run, the latest state of one that never started, the
 * last sign of life of one still RUNNING. Nothing of the run (state, task, log, event) lies after
 * it; {@code from} (start_time, or the first state) is where its activity begins.
 *
 * @param types state types, oldest first
 * @param names state names (Prefect's display names: "Late" is a SCHEDULED state)
 * @param stamps state timestamps, strictly increasing, as Prefect's unique key wants them
 * @param start start_time, or null for a run that never ran
 * @param end end_time, or null: every non-terminal run, and now and then a terminal one
 */
record Timeline(
        StateType[] types,
        String[] names,
        long[] stamps,
        Long start,
        Long end,
        long expected,
        long created,
        long from,
        long until) {

    private static final long LONGEST_RUN = 30 * MINUTE;
    private static final long SHORTEST_RUN = 2 * SECOND;
    private static final long LONGEST_GAP = 30 * SECOND;

    static Timeline plan(StateType type, long until, boolean endTimeLost, SplittableRandom rnd) {
        StateType[] types = progression(type, rnd);
        String[] names = names(types);
        long[] stamps = new long[types.length];
        int last = types.length - 1;
        int running = indexOf(types, StateType.RUNNING);
        Long start = null;
        int backFrom = last;
        stamps[last] = until;
        if (running >= 0) {
            double skew = rnd.nextDouble();
            start = until - SHORTEST_RUN - (long) (skew * skew * skew * LONGEST_RUN);
            stamps[running] = start;
            backFrom = running;
        }
        for (int i = backFrom - 1; i >= 0; i--) {
            stamps[i] = stamps[i + 1] - gap(rnd);
        }
        long expected = (start != null ? start : until) - gap(rnd);
        Long end = type.terminal() && !endTimeLost ? until : null;
        long from = start != null ? start : stamps[0];
        return new Timeline(types, names, stamps, start, end, expected, stamps[0] - gap(rnd), from, until);
    }

    StateType type() {
        return types[types.length - 1];
    }

    String stateName() {
        return names[names.length - 1];
    }

    long stateTimestamp() {
        return stamps[stamps.length - 1];
    }

    /** Time spent RUNNING, which Prefect adds up as a run leaves that state. */
    long totalRunTime() {
        return start == null || type() == StateType.RUNNING ? 0 : until - start;
    }

    private static StateType[] progression(StateType type, SplittableRandom rnd) {
        boolean longer = rnd.nextBoolean();
        return switch (type) {
            case SCHEDULED -> new StateType[] {StateType.SCHEDULED, StateType.SCHEDULED};
            case PENDING -> new StateType[] {StateType.SCHEDULED, StateType.PENDING};
            case RUNNING ->
                longer
                        ? new StateType[] {StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING}
                        : new StateType[] {StateType.PENDING, StateType.RUNNING};
            default ->
                longer
                        ? new StateType[] {StateType.PENDING, StateType.RUNNING, type}
                        : new StateType[] {StateType.RUNNING, type};
        };
    }

    private static String[] names(StateType[] types) {
        String[] names = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            boolean late = i > 0 && types[i] == StateType.SCHEDULED && types[i - 1] == StateType.SCHEDULED;
            names[i] = late ? "Late" : types[i].title();
        }
        return names;
    }

    private static int indexOf(StateType[] types, StateType wanted) {
        for (int i = 0; i < types.length; i++) {
            if (types[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** At least a millisecond, so timestamps stay distinct. */
    private static long gap(SplittableRandom rnd) {
        return 1_000 + rnd.nextLong(LONGEST_GAP);
    }
}
