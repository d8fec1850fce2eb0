package io.runsweep.bench.measure;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Repeated runs: how progress names them, and how each method's runs become one result. */
public final class Runs {
    private Runs() {}

    /** {@code ""} when there is one run, {@code " (run 2 of 3)"} otherwise. */
    public static String of(int run, int repeat) {
        return repeat == 1 ? "" : " (run " + run + " of " + repeat + ")";
    }

    /** Each method's runs combined, in {@link Method} order. */
    public static List<MethodResult> combine(Map<Method, List<MethodResult>> runs) {
        return Arrays.stream(Method.values())
                .map(m -> MethodResult.combine(runs.get(m)))
                .toList();
    }
}
