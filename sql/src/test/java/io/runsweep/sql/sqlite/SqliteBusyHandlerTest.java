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
}
