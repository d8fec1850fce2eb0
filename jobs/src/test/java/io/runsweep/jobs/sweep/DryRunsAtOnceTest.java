package io.runsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DryRunsAtOnceTest {
    @Test
    void runsAsManyAtOnceAsAskedAndAnswersInTheItemsOrder() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<Supplier<String>> results = DryRunsAtOnce.started(List.of("a", "b", "c"), 2, item -> {
            bothStarted.countDown();
            try {
                // "a" and "b" finish only once both have started: one at a time, they would wait 10 s and fail.
                boolean together = bothStarted.await(10, TimeUnit.SECONDS);
                return item + (together ? " with another" : " alone");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(
                List.of("a with another", "b with another", "c with another"),
                results.stream().map(Supplier::get).toList());
    }

    @Test
    void aFailureIsThrownWhereItsResultIsAsked() {
        List<Supplier<String>> results = DryRunsAtOnce.started(List.of("a", "b"), 2, item -> {
            if (item.equals("b")) {
                throw new IllegalArgumentException("no b");
            }
            return item;
        });
        assertEquals("a", results.get(0).get());
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, results.get(1)::get);
        assertEquals("no b", thrown.getMessage());
    }

    @Test
    void itsThreadsDoNotKeepTheProcessAlive() {
        List<Supplier<Boolean>> daemon = DryRunsAtOnce.started(
                List.of(1), 1, item -> Thread.currentThread().isDaemon());
        assertTrue(daemon.get(0).get());
    }
}
