package io.runsweep.bench.measure;

/**
 * One of issue 3's targets, checked against a run.
 *
 * @param target what is asked, e.g. "runsweep engine at most 1.10 x one DELETE"
 * @param measured the numbers it was judged by
 */
public record TargetCheck(String target, boolean met, String measured) {}
