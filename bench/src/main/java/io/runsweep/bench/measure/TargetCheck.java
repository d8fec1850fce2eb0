package io.runsweep.bench.measure;

/**
 * One of the targets (issues 3 and 12), checked against a run.
 *
 * @param target what is asked, e.g. "runsweep engine at most 1.10x one DELETE"
 * @param measured the numbers it was judged by
 * @param why for a missed target, where the numbers point; empty when met
 */
public record TargetCheck(String target, boolean met, String measured, String why) {

    public static TargetCheck judged(String target, boolean met, String measured, String whyMissed) {
        return new TargetCheck(target, met, measured, met ? "" : whyMissed);
    }
}
