package io.runsweep.sql.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqliteBusyHandlerTest {
    @Test
    void aWriterGetsTheLockAtItsFirstTryAfterTheLockWasLet() {
        assertEquals(Duration.ofMillis(1), SqliteBusyHandler.waitFor(Duration.ZERO));
        assertEquals(Duration.ofMillis(178), SqliteBusyHandler.waitFor(Duration.ofMillis(150)));
        assertEquals(Duration.ofMillis(228), SqliteBusyHandler.waitFor(Duration.ofMillis(200)));
        assertEquals(Duration.ofMillis(328), SqliteBusyHandler.waitFor(Duration.ofMillis(228)));
        assertEquals(Duration.ofMillis(328), SqliteBusyHandler.waitFor(Duration.ofMillis(262)));
        assertEquals(Duration.ofMillis(428), SqliteBusyHandler.waitFor(Duration.ofMillis(360)));
    }

    @Test
    void theSleepsBeforeEachTryAddUpToTheBusyTimeoutAndThenStop() {
        assertEquals(Duration.ofMillis(1), SqliteBusyHandler.sleepBefore(0, 5000));
        assertEquals(Duration.ofMillis(5), SqliteBusyHandler.sleepBefore(2, 5000));
        assertEquals(Duration.ofMillis(100), SqliteBusyHandler.sleepBefore(11, 5000));
        assertEquals(Duration.ofMillis(100), SqliteBusyHandler.sleepBefore(12, 5000));
        long slept = 0;
        int tries = 0;
        for (Duration sleep; !(sleep = SqliteBusyHandler.sleepBefore(tries, 5000)).isZero(); tries++) {
            slept += sleep.toMillis();
        }
        assertEquals(5000, slept, "asleep for the whole timeout, no longer");
        assertEquals(59, tries, "the table's 11 sleeps (228 ms), 47 of 100 ms and one of 72 ms");
        assertEquals(Duration.ofMillis(72), SqliteBusyHandler.sleepBefore(58, 5000), "the last one cut short");
        assertEquals(Duration.ofMillis(3), SqliteBusyHandler.sleepBefore(3, 11), "a short timeout cuts the fourth");
    }
}
