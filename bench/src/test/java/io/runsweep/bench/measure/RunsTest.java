package io.runsweep.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rounds alternate the methods' order; latencies read percentiles by nearest rank and pool across runs. */
class RunsTest {
    @Test
    void oddRoundsRunTheMethodsInOrderAndEvenRoundsInReverse() {
        assertEquals(List.of(Method.ONE_DELETE, Method.ID_IN_LOOP, Method.ENGINE), Runs.order(1, Method.COMPARED));
        assertEquals(List.of(Method.ENGINE, Method.ID_IN_LOOP, Method.ONE_DELETE), Runs.order(2, Method.COMPARED));
        assertEquals(List.of(Method.ONE_DELETE, Method.ID_IN_LOOP, Method.ENGINE), Runs.order(3, Method.COMPARED));
        Set<Method> withOneConnection = EnumSet.of(Method.ENGINE_ONE_CONNECTION, Method.ONE_DELETE, Method.ENGINE);
        assertEquals(
                List.of(Method.ONE_DELETE, Method.ENGINE, Method.ENGINE_ONE_CONNECTION),
                Runs.order(1, withOneConnection));
        assertEquals(
                List.of(Method.ENGINE_ONE_CONNECTION, Method.ENGINE, Method.ONE_DELETE),
                Runs.order(2, withOneConnection));
    }

    @Test
    void percentilesAreNearestRankAndRunsPool() {
        Latencies one = Latencies.of(new long[] {5_000_000, 1_000_000, 3_000_000});
        Latencies two = Latencies.of(new long[] {2_000_000, 4_000_000});

        assertEquals(Duration.ofMillis(3), one.p50());
        assertEquals(Duration.ofMillis(5), one.p99());
        Latencies pooled = Latencies.pooled(List.of(one, two));
        assertEquals(5, pooled.count());
        assertEquals(Duration.ofMillis(3), pooled.p50());
        assertEquals(Duration.ofMillis(5), pooled.max());
        assertEquals(2, pooled.over(Duration.ofMillis(3)));
        assertEquals(Duration.ZERO, Latencies.NONE.p99());
    }
}
