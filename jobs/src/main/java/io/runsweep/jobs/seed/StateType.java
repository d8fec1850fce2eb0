package io.runsweep.jobs.seed;

import java.util.SplittableRandom;

/** Prefect's state types, with how often each ends a flow run in the seeded history. */
enum StateType {
    SCHEDULED(false, 25),
    PENDING(false, 10),
    RUNNING(false, 20),
    COMPLETED(true, 800),
    FAILED(true, 80),
    CANCELLED(true, 30),
    CRASHED(true, 20),
    PAUSED(false, 7),
    CANCELLING(false, 8);

    private static final StateType[] VALUES = values();
    private static final int TOTAL_WEIGHT = 1000;

    private final boolean terminal;
    private final int perMille;
    private final String title;

    StateType(boolean terminal, int perMille) {
        this.terminal = terminal;
        this.perMille = perMille;
        this.title = name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    boolean terminal() {
        return terminal;
    }

    /** The state's default display name, as Prefect writes it ("Completed"). */
    String title() {
        return title;
    }

    static StateType pick(SplittableRandom rnd) {
        int roll = rnd.nextInt(TOTAL_WEIGHT);
        for (StateType type : VALUES) {
            roll -= type.perMille;
            if (roll < 0) {
                return type;
            }
        }
        throw new AssertionError("state weights do not add up to " + TOTAL_WEIGHT);
    }
}
