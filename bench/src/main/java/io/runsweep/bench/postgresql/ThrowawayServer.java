package io.runsweep.bench.postgresql;

import io.runsweep.sql.DatabaseUrl;
import java.util.Map;

/** A PostgreSQL server the bench starts for itself, in a temporary folder deleted when it stops. */
public interface ThrowawayServer extends AutoCloseable {

    /**
     * What the bench changes from a fresh install's settings. The embedding library starts its server with
     * {@code fsync} and {@code synchronous_commit} off, which would make every commit free; both are on, so that a
     * commit waits for its WAL to reach the disk as on a real server. The others are the embedding library's, so
     * that a server from installed binaries runs as the embedded one does.
     */
    Map<String, String> SETTINGS =
            Map.of("fsync", "on", "synchronous_commit", "on", "timezone", "UTC", "max_connections", "300");

    /** As its superuser, postgres. */
    DatabaseUrl url();

    @Override
    void close();
}
