package io.runsweep.bench.postgresql;

import io.runsweep.sql.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A throwaway PostgreSQL 15 server for {@code runsweep bench}, from the binaries bundled in the jar, in a
 * temporary folder that is deleted when it stops. Configured as a fresh install is: the embedding library
 * starts it with {@code fsync} and {@code synchronous_commit} off, which would make every commit free, so
 * both are set back on, and a commit waits for its WAL to reach the disk as on a real server.
 */
public final class EmbeddedServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedServer start() {
        try {
            return new EmbeddedServer(EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not start the embedded PostgreSQL server (use --url to bench on" + " a server of your own)",
                    e);
        }
    }

    public DatabaseUrl url() {
        return DatabaseUrl.parse(postgres.getJdbcUrl("postgres", "postgres"));
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL server", e);
        }
    }
}
