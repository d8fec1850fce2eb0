package io.runsweep.jobs.purge;

import io.runsweep.config.BatchSettings;
import java.time.Duration;

/**
 * How a real run treats the server.
 *
 * @param lockTimeout PostgreSQL lock_timeout for each batch
 * @param allowLarge lets a policy delete more than its max-fraction of its table
 */
public record RunOptions(Duration lockTimeout, BatchSettings batch, boolean allowLarge) {}
