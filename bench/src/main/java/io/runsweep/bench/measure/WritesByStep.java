package io.runsweep.bench.measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The server's writes during the engine, each with the step of the engine it began in ({@link EngineSteps}): where
 * the slow ones fell. Empty for the other methods, which have no steps.
 */
public final class WritesByStep {
    public static final WritesByStep NONE = new WritesByStep(List.of());

    /** One write: the step it began in and how long it took. */
    public record Write(EngineStep step, long tookNanos) {}

    private final List<Write> writes;

    private WritesByStep(List<Write> writes) {
        this.writes = List.copyOf(writes);
    }

    /** Writes that began at {@code beganNanos[i]} and took {@code tookNanos[i]}, placed in {@code steps}. */
    public static WritesByStep place(EngineSteps steps, long[] beganNanos, long[] tookNanos) {
        List<Write> writes = new ArrayList<>(beganNanos.length);
        for (int i = 0; i < beganNanos.length; i++) {
            writes.add(new Write(steps.stepAt(beganNanos[i]), tookNanos[i]));
        }
        return new WritesByStep(writes);
    }

    /** Several runs' writes as one sample. */
    public static WritesByStep pooled(List<WritesByStep> runs) {
        return new WritesByStep(runs.stream().flatMap(r -> r.writes.stream()).toList());
    }

    public boolean isEmpty() {
        return writes.isEmpty();
    }

    public long count() {
        return writes.size();
    }

    /** Of the writes that began in one step: how many, and how many of them took longer than a bound. */
    public record Tally(long began, long longer) {}

    /** Each step any write began in, in the engine's order, with its {@link Tally} against {@code bound}. */
    public Map<EngineStep, Tally> longerThan(Duration bound) {
        Map<EngineStep, Tally> byStep = new EnumMap<>(EngineStep.class);
        for (Write write : writes) {
            long longer = write.tookNanos() > bound.toNanos() ? 1 : 0;
            byStep.merge(
                    write.step(), new Tally(1, longer), (a, b) -> new Tally(a.began + b.began, a.longer + b.longer));
        }
        return byStep;
    }
}
