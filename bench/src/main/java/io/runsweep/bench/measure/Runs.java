package io.runsweep.bench.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Repeated runs: how progress names them, in which order the methods take turns, and how runs combine. */
public final class Runs {
    private Runs() {}

    /** {@code ""} when there is one run, {@code " (run 2 of 3)"} otherwise. */
    public static String of(int run, int repeat) {
        return repeat == 1 ? "" : " (run " + run + " of " + repeat + ")";
    }

    /**
     * The methods in the order they run in round {@code round} (from 1): {@link Method} order in odd rounds,
     * reversed in even ones, so that no method always runs first on a cold machine or last on a warm one.
     */
    public static List<Method> order(int round, Set<Method> compared) {
        List<Method> methods = new ArrayList<>(EnumSet.copyOf(compared));
        if (round % 2 == 0) {
            Collections.reverse(methods);
        }
        return methods;
    }

    /** Each method's runs combined, in {@link Method} order. */
    public static List<MethodResult> combine(Map<Method, List<MethodResult>> runs) {
        return Arrays.stream(Method.values())
                .filter(runs::containsKey)
                .map(m -> MethodResult.combine(runs.get(m)))
                .toList();
    }
}
