package io.runsweep.bench.postgresql;

import io.runsweep.sql.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A throwaway PostgreSQL 15 server for {@code runsweep bench}, from the binaries bundled in the jar (zonky's, built
 * without lz4), configured as {@link ThrowawayServer#SETTINGS} say.
 */
public final class EmbeddedServer implements ThrowawayServer {
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedServer start() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            SETTINGS.forEach(builder::setServerConfig);
            return new EmbeddedServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not start the embedded PostgreSQL server (use --url to bench on a server of your own,"
                            + " or --server-binaries to start one from installed binaries)",
                    e);
        }
    }

    @Override
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
