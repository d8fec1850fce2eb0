package io.runsweep.jobs.alert;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One alert's measurement before it is compared: what is measured ({@code "log" total size}), its value
 * and how to show it, or why there is none.
 */
record Reading(String quantity, OptionalDouble value, String shown, Optional<String> unknownBecause) {

    static Reading of(String quantity, double value, String shown) {
        return new Reading(quantity, OptionalDouble.of(value), shown, Optional.empty());
    }

    static Reading unknown(String quantity, String because) {
        return new Reading(quantity, OptionalDouble.empty(), "", Optional.of(because));
    }
}
