package io.runsweep.sql.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A primary and a streaming replica of it, both real servers from the embedded binaries. The embedded binaries
 * hold only initdb, pg_ctl and postgres, so the replica's base backup is made with the system's pg_basebackup
 * (Debian's postgresql-client-15, which CI installs); without it, tests that need a replica skip.
 */
public final class TestReplication implements AutoCloseable {
    private static final List<Path> PG_BASEBACKUP =
            List.of(Path.of("/usr/lib/postgresql/15/bin/pg_basebackup"), Path.of("/usr/bin/pg_basebackup"));

    private final EmbeddedPostgres primary;
    private final EmbeddedPostgres replica;

    private TestReplication(EmbeddedPostgres primary, EmbeddedPostgres replica) {
        this.primary = primary;
        this.replica = replica;
    }

    /** pg_basebackup of PostgreSQL 15, when this system has one. */
    public static Optional<Path> pgBasebackup() {
        return PG_BASEBACKUP.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts a primary, copies it with pg_basebackup into {@code dir} (writing the replica's connection to the
     * primary, -R) and starts that copy as a hot standby that reports to the primary every second.
     */
    public static TestReplication start(Path dir) throws IOException, InterruptedException {
        Path basebackup = pgBasebackup().orElseThrow(() -> new IllegalStateException("no pg_basebackup"));
        EmbeddedPostgres primary = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "replica")
                .setServerConfig("max_wal_senders", "4")
                .start();
        Path data = dir.resolve("replica");
        Process copy = new ProcessBuilder(
                        basebackup.toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(primary.getPort()),
                        "-U",
                        "postgres",
                        "-D",
                        data.toString(),
                        "-R",
                        "-X",
                        "stream",
                        "-c",
                        "fast")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pg_basebackup.log").toFile())
                .start();
        if (!copy.waitFor(120, TimeUnit.SECONDS) || copy.exitValue() != 0) {
            copy.destroyForcibly();
            primary.close();
            throw new IOException("pg_basebackup failed: " + Files.readString(dir.resolve("pg_basebackup.log")));
        }
        EmbeddedPostgres replica = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("hot_standby", "on")
                .setServerConfig("wal_receiver_status_interval", "1s")
                .start();
        return new TestReplication(primary, replica);
    }

    public EmbeddedPostgres primary() {
        return primary;
    }

    public EmbeddedPostgres replica() {
        return replica;
    }

    @Override
    public void close() throws IOException {
        try {
            replica.close();
        } finally {
            primary.close();
        }
    }
}
