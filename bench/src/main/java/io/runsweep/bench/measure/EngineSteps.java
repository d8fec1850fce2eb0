package io.runsweep.bench.measure;

import java.util.OptionalLong;

/**
 * When the engine's run reached each of its steps, as {@link System#nanoTime} values: what places a write of the
 * server's in the step it shared the server with.
 *
 * @param firstBatchBegan when the first batch's transaction began; empty when there was no batch
 * @param lastBatchEnded when the last batch's commit ended; empty when there was no batch
 * @param countBesideBegan when the count of the matching rows beside the batches began; empty when the run counted
 *     before its first batch, or not at all
 * @param countBesideEnded when that count ended, its transaction with it
 */
public record EngineSteps(
        OptionalLong firstBatchBegan,
        OptionalLong lastBatchEnded,
        OptionalLong countBesideBegan,
        OptionalLong countBesideEnded) {

    /** The step a write that began at {@code beganNanos} shared the server with. */
    public EngineStep stepAt(long beganNanos) {
        if (countBesideBegan.isPresent()
                && beganNanos >= countBesideBegan.getAsLong()
                && (countBesideEnded.isEmpty() || beganNanos <= countBesideEnded.getAsLong())) {
            return EngineStep.BESIDE_COUNT;
        }
        if (firstBatchBegan.isEmpty() || beganNanos < firstBatchBegan.getAsLong()) {
            return EngineStep.BEFORE_FIRST_BATCH;
        }
        if (beganNanos > lastBatchEnded.getAsLong()) {
            return EngineStep.AFTER_LAST_BATCH;
        }
        return EngineStep.BATCHES;
    }
}
