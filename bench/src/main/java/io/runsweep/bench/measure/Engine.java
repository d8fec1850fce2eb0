package io.runsweep.bench.measure;

import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.sql.DatabaseUrl;
import java.time.Instant;

/**
 * Runsweep's engine as the bench drives it: {@code runsweep bench} supplies one that configures, plans
 * and runs the policy exactly as {@code runsweep sweep} would, so that what the bench measures is what a
 * user's sweep does.
 */
@FunctionalInterface
public interface Engine {
    /**
     * Reads the configuration and opens the database at {@code url} as {@code sweep} does, one connection
     * made, so that the timed run pays for deleting only, as the other methods do.
     */
    public Ready prepare(DatabaseUrl url, BenchPolicy policy) throws Exception;

    /** The engine, configured and connected. */
    public interface Ready extends AutoCloseable {
        /**
         * Plans and runs the policy once, judging age from {@code now}, telling {@code progress} of every batch.
         */
        PolicyReport run(Instant now, PurgeProgress progress);

        @Override
        void close();
    }
}
