package io.runsweep.jobs.seed;

import java.util.SplittableRandom;
import java.util.UUID;

/** Version-4 UUIDs drawn from the seeded source, so the same seed writes the same ids. */
final class Ids {
    private Ids() {}

    static UUID uuid(SplittableRandom rnd) {
        long high = (rnd.nextLong() & ~0xF000L) | 0x4000L;
        long low = (rnd.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
