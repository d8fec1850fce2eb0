package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Bounded waiting for something another thread or process does: every wait in the tests ends. */
final class Await {
    private Await() {}

    /** Calls {@code probe} until {@code done} holds, at most {@code limit}; fails with the last value seen. */
    static <T> T until(Duration limit, String what, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = null;
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.call();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastError = e;
            }
            Thread.sleep(100);
        }
        return fail("waited " + limit.toSeconds() + " s for " + what + "; last seen: "
                + (lastError != null ? lastError : last));
    }
}
