package io.runsweep.sql.sqlite;

import java.time.Duration;

/**
 * SQLite's default busy handler (sqliteDefaultBusyCallback), as a writer that finds the write lock taken lives
 * it: it does not queue, it sleeps and tries again, 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 ms apart and then every
 * 100 ms, until its busy timeout. Prefect's server waits this way (Python's sqlite3 sets a busy timeout).
 */
public final class SqliteBusyHandler {
    private static final long[] SLEEPS_MS = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
    /** When each sleep starts, counted from the first try. */
    private static final long[] STARTS_MS = {0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228};

    private SqliteBusyHandler() {}

    /** The sleep a writer that began waiting {@code waited} ago is in. */
    static Duration sleepAt(Duration waited) {
        return Duration.ofMillis(SLEEPS_MS[sleepIndex(waited.toMillis())]);
    }

    /**
     * How long a writer that found the lock taken waits when the lock is held {@code held} from then: until its
     * first try after that (178 ms for 150 ms, 228 ms for 200 ms, 328 ms for 230 ms).
     */
    public static Duration waitFor(Duration held) {
        long millis = held.toMillis();
        long last = STARTS_MS[STARTS_MS.length - 1];
        if (millis < last) {
            int i = sleepIndex(millis);
            return Duration.ofMillis(STARTS_MS[i] + SLEEPS_MS[i]);
        }
        long every = SLEEPS_MS[SLEEPS_MS.length - 1];
        return Duration.ofMillis(last + every * ((millis - last) / every + 1));
    }

    /**
     * The sleep before the writer's try number {@code tries + 1}, with a busy timeout of {@code timeoutMillis}, as
     * sqliteDefaultBusyCallback computes it: none (zero) once the timeout is spent, and the writer gives up.
     */
    public static Duration sleepBefore(int tries, long timeoutMillis) {
        int last = SLEEPS_MS.length - 1;
        long sleep = SLEEPS_MS[Math.min(tries, last)];
        long prior = tries <= last ? STARTS_MS[tries] : STARTS_MS[last] + sleep * (tries - last);
        return Duration.ofMillis(Math.max(0, Math.min(sleep, timeoutMillis - prior)));
    }

    private static int sleepIndex(long waitedMillis) {
        for (int i = STARTS_MS.length - 1; i > 0; i--) {
            if (waitedMillis >= STARTS_MS[i]) {
                return i;
            }
        }
        return 0;
    }
}
